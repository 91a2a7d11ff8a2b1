from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.backup import ImportRefused, import_catalogue


class Command(BaseCommand):
    help = (
        "Read a file written by export_catalogue into this database, all or nothing. Refuses a database "
        "that already has a catalogue unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file written by export_catalogue.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the catalogue this database has first (each deletion is kept in the edit history).",
        )
        parser.add_argument("--database", default="default", help="The database to import into.")

    def handle(self, *args, file, replace, database, **options):
        try:
            report = import_catalogue(file, replace=replace, using=database)
        except ImportRefused as exc:
            raise CommandError(f"Ingenting lästes in. {exc}") from exc
        if report.deleted:
            self.stdout.write(
                f"Ersatte den tidigare katalogen: {sum(report.deleted.values())} poster borttagna."
            )
        for name in report.missing_coordinators:
            self.stderr.write(
                self.style.WARNING(f"Samordnaren {name} finns inte som användare här; tilldela i admin.")
            )
        self.stdout.write(self.style.SUCCESS(f"Katalogen inläst: {report.summary()}."))
