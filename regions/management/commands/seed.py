from django.core.management.base import BaseCommand, CommandError

from regions.seeding import FixtureError, seed


class Command(BaseCommand):
    help = (
        "Load the catalogue from fixtures/catalogue/. Safe to run again: records an editor has changed "
        "since they were seeded are kept and reported, unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite editors' changes to seeded records with the fixtures' version.",
        )

    def handle(self, *args, force=False, **options):
        try:
            report = seed(force=force)
        except FixtureError as exc:
            raise CommandError(f"The fixtures are inconsistent; nothing was loaded. {exc}") from exc
        for message in report.skipped:
            self.stderr.write(self.style.WARNING(message))
        self.stdout.write(self.style.SUCCESS(f"Katalogen inläst: {report.summary()}."))
