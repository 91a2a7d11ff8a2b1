"""An index for the start page's "recently changed" list (published, newest edited_at first)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0009_search_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="focusarea",
            index=models.Index(fields=["status", "-edited_at"], name="focusarea_status_edited"),
        ),
    ]
