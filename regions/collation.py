"""Swedish alphabetical order on SQLite, under the name of PostgreSQL's ICU collation (regions.models:
swedish_order), so that one queryset sorts the same on both databases.

SQLite's own collations compare code points: capitals before lower case, and Ä before Å. This one compares
case-folded text with å, ä, ö after z (and æ, ø, ü as Swedish files them: as ä, ö, y), other accents
ignored, and only then the text as written, so the order is stable. It is made in Python and called once
per comparison: fine for the embedded development database, while PostgreSQL, production, uses ICU.
"""

import functools
import unicodedata

from django.db.backends.signals import connection_created

from .models import SWEDISH_COLLATION

# After z, in Swedish order; æ, ø and ü are filed as ä, ö and y.
_LETTERS_AFTER_Z = str.maketrans({"å": "\U0010fff0", "ä": "\U0010fff1", "æ": "\U0010fff1",
                                  "ö": "\U0010fff2", "ø": "\U0010fff2", "ü": "y"})  # fmt: skip


@functools.lru_cache(maxsize=20_000)
def swedish_key(text: str):
    folded = unicodedata.normalize("NFC", text).casefold().translate(_LETTERS_AFTER_Z)
    plain = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return plain, text


def compare(left: str, right: str) -> int:
    left, right = swedish_key(left), swedish_key(right)
    return (left > right) - (left < right)


def _on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SWEDISH_COLLATION, compare)


def connect():
    connection_created.connect(_on_sqlite, dispatch_uid="regions.collation")
