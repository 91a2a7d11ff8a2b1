from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regions.backup import export_catalogue


class Command(BaseCommand):
    help = (
        "Write the whole catalogue (regions, insatsområden, activities, links, contacts, themes, sources, "
        "the seed's fingerprints) to one JSON file that import_catalogue reads. Users, sessions and the "
        "edit history are not in it: back those up with pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="Where to write the export, e.g. katalog-2026-11-25.json."
        )
        parser.add_argument("--database", default="default", help="The database to export from.")

    def handle(self, *args, file, database, **options):
        try:
            counts = export_catalogue(file, using=database)
        except OSError as exc:
            raise CommandError(f"Kunde inte skriva {file}: {exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"{sum(counts.values())} poster exporterade till {file}."))
