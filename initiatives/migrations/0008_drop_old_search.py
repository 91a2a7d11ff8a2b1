"""The search moves to one index table built in Python (0009_search_index): drop PostgreSQL's per-table
search triggers, their GIN indexes, the trigram indexes and portal_unaccent() (0004_search_triggers).

Reversing recreates them as 0004 made them.
"""

from importlib import import_module

from django.db import migrations

old = import_module("initiatives.migrations.0004_search_triggers")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in old.backwards_sql():
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in old.forwards_sql():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0007_edited_at_english_vocabulary"),
        ("regions", "0009_discrepancy_focus_area"),
        ("contacts", "0005_edited_at"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
