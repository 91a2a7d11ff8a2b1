"""`python manage.py search_index`: rebuild the search index (initiatives/search/index.py) from the catalogue.

Saves keep the index in step by themselves, and `migrate` rebuilds it when the normalisation changed; this
is for after bulk writes that send no signals (SQL, `queryset.update()`), or to check it: `--check` reports
whether a rebuild is due and changes nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from initiatives.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from the catalogue (--check: only say whether it is due)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Exit 1 if the index needs a rebuild.")

    def handle(self, *args, check=False, **options):
        if check:
            if index.needs_rebuild():
                raise CommandError("Sökindexet saknas eller är byggt med en äldre version: kör search_index.")
            self.stdout.write("Sökindexet är aktuellt.")
            return
        started = time.perf_counter()
        count = index.rebuild()
        self.stdout.write(f"Sökindexet byggt: {count} dokument på {time.perf_counter() - started:.1f} s.")
