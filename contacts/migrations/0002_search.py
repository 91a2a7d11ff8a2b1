"""Search on PostgreSQL: a GIN index on contacts' weighted Swedish text-search vector (see
initiatives/migrations/0003_search.py). Nothing on SQLite."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def index():
    expression = (
        SearchVector("name", weight="A", config="swedish")
        + SearchVector("organisation", weight="B", config="swedish")
        + SearchVector("role", weight="B", config="swedish")
    )
    return GinIndex(expression, name="contact_search")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("contacts", "Contact"), index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("contacts", "Contact"), index())


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("initiatives", "0003_search"),
    ]
    operations = [migrations.RunPython(create_index, drop_index)]
