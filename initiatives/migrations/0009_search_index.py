"""The search index (initiatives/search/): one table of documents whose words are normalised in Python,
and what each database indexes them with.

- PostgreSQL: a `vector` column kept by a trigger from the four term columns (weights A-D, the `simple`
  configuration, since stemming is done already), and `head` from the title and tags alone, each under
  a GIN index.
- SQLite: an FTS5 table over the same four columns, external content kept in step by triggers.

The documents themselves are written by initiatives/search/index.py (after migrate, and on every save).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "initiatives_searchdocument"
COLUMNS = ["title_terms", "tag_terms", "body_terms", "other_terms"]
FTS = "initiatives_searchfts"


def _vector(columns):
    return " || ".join(
        f"setweight(to_tsvector('simple', NEW.{column}), '{weight}')" for column, weight in zip(columns, "ABCD")
    )


POSTGRESQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN vector tsvector",
    # The title and tags alone: small, so that a query matching thousands of documents finds and ranks
    # its title and tag matches cheaply (initiatives/search/database.py).
    f"ALTER TABLE {TABLE} ADD COLUMN head tsvector",
    f"CREATE FUNCTION {TABLE}_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.vector := {_vector(COLUMNS)}; NEW.head := {_vector(COLUMNS[:2])}; RETURN NEW; END $$",
    f"CREATE TRIGGER {TABLE}_vector BEFORE INSERT OR UPDATE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TABLE}_vector()",
    # fastupdate off: a pending list (GIN's write buffer) is read through on every search until a vacuum
    # merges it; after a rebuild it made each search 4x slower (measured at 100x). Writes are rare here.
    f"CREATE INDEX {TABLE}_vector_gin ON {TABLE} USING gin (vector) WITH (fastupdate = off)",
    f"CREATE INDEX {TABLE}_head_gin ON {TABLE} USING gin (head) WITH (fastupdate = off)",
]
POSTGRESQL_BACKWARDS = [
    f"DROP TRIGGER IF EXISTS {TABLE}_vector ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_vector()",
]

_old = ", ".join(f"old.{column}" for column in COLUMNS)
_new = ", ".join(f"new.{column}" for column in COLUMNS)
_columns = ", ".join(COLUMNS)
SQLITE = [
    # Terms are lower case already; diacritics are kept (the folded forms are in other_terms).
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({_columns}, content='{TABLE}', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, {_columns}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {_columns}) VALUES ('delete', old.id, {_old}); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {_columns}) VALUES ('delete', old.id, {_old}); "
    f"INSERT INTO {FTS}(rowid, {_columns}) VALUES (new.id, {_new}); END",
]
SQLITE_BACKWARDS = [f"DROP TABLE IF EXISTS {FTS}"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}.get(vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0007_edited_at_english_vocabulary'),
        ('initiatives', '0008_drop_old_search'),
        ('regions', '0010_remove_region_search_vector'),
        ('contacts', '0006_remove_contact_search_vector'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=100, unique=True)),
                ('length', models.PositiveSmallIntegerField()),
                ('word', models.CharField(max_length=100)),
            ],
        ),
        migrations.RemoveField(
            model_name='activity',
            name='search_vector',
        ),
        migrations.RemoveField(
            model_name='focusarea',
            name='search_vector',
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('region', 'Region'), ('focus_area', 'Insatsområde'), ('activity', 'Aktivitet'), ('contact', 'Kontaktperson'), ('theme', 'Tema'), ('goal', 'Agenda 2030-mål'), ('mandatory_area', 'Obligatoriskt område')], max_length=20)),
                ('object_id', models.PositiveIntegerField()),
                ('title', models.CharField(max_length=300)),
                ('title_en', models.CharField(blank=True, max_length=300)),
                ('path', models.CharField(max_length=300)),
                ('text', models.TextField(blank=True)),
                ('title_terms', models.TextField(blank=True)),
                ('tag_terms', models.TextField(blank=True)),
                ('body_terms', models.TextField(blank=True)),
                ('other_terms', models.TextField(blank=True)),
                ('version', models.PositiveSmallIntegerField()),
                ('focus_area', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.focusarea')),
                ('region', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='regions.region')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='searchdocument_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
