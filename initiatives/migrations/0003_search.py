"""Search on PostgreSQL: the pg_trgm and unaccent extensions, and GIN indexes on the weighted Swedish
text-search vectors of insatsområden, activities and regions (contacts: contacts/migrations/0002).

The index expressions repeat initiatives/search.py's vector functions on purpose (a migration must not
change when the code does); tests/test_search.py checks with EXPLAIN that PostgreSQL uses them.
On SQLite every operation here does nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def vector(*weighted_fields):
    result = None
    for name, weight in weighted_fields:
        part = SearchVector(name, weight=weight, config="swedish")
        result = part if result is None else result + part
    return result


INDEXES = [
    # /sok/ and the q filter of /insatsomraden/
    ("initiatives", "FocusArea", "focusarea_search", [("title", "A"), ("summary", "B"), ("body", "C")]),
    ("initiatives", "Activity", "activity_search", [("title", "B"), ("body", "C")]),
    ("regions", "Region", "region_search", [("name", "A"), ("introduction", "C")]),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, fields in INDEXES:
        schema_editor.add_index(apps.get_model(app_label, model_name), GinIndex(vector(*fields), name=name))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, fields in INDEXES:
        schema_editor.remove_index(apps.get_model(app_label, model_name), GinIndex(vector(*fields), name=name))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0002_fixed_vocabularies"),
        ("regions", "0001_initial"),
    ]
    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
