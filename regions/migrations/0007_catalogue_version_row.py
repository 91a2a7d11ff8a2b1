"""The catalogue version's one row, created once here rather than by the first edit.

Without it, two edits saved at the same moment on a fresh database could both find no row to update; one
would create it and the other's increment would be lost, so pages cached after the first edit could be
served after the second.
"""

from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("regions", "CatalogueVersion").objects.get_or_create(pk=1, defaults={"value": 0})


class Migration(migrations.Migration):
    dependencies = [("regions", "0006_catalogue_version")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
