"""Export the whole catalogue to one JSON file and import it again (`manage.py export_catalogue FILE`,
`manage.py import_catalogue FILE`).

This is the catalogue's own, portable backup: everything editors and the seed wrote (regions, the two
mandatory areas, themes, vocabularies, insatsområden with their activities, links, contacts including
hidden ones and drafts, sources, and the seed's fingerprints), with primary keys and timestamps kept, so
that addresses, the API and ETags come back exactly as they were. It moves between SQLite and PostgreSQL.

It is not a whole-database backup: user accounts, passwords, sessions, the admin log and the edit history
live only in `pg_dump` (README, Operations). Coordinators' assignments to their regions are exported by
username and given back to the accounts that exist where the file is imported.

An import is one transaction. It refuses a file it cannot read, a file from a newer schema, and (without
`replace=True`) a database that already holds a catalogue. With `replace=True`, the existing catalogue is
deleted through the ORM first, so its edit history records the deletion and nothing is lost for good.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from initiatives.search import index as search_index

from .history import record_version
from .models import CatalogueVersion

FORMAT = "vagar-till-hallbar-utveckling/catalogue"
FORMAT_VERSION = 1

# Parents before children: the order rows are written in, and the reverse of the order they are deleted in.
MODELS = [
    "regions.Source",
    "initiatives.Dimension",
    "initiatives.SdgGoal",
    "initiatives.Theme",
    "initiatives.MandatoryArea",
    "regions.Region",
    "initiatives.FocusArea",
    "initiatives.Activity",
    "initiatives.Link",
    "contacts.Contact",
    "regions.SourceDiscrepancy",
    "regions.SeedRecord",
]
APPS = sorted({label.split(".")[0] for label in MODELS})
# Derived or account data: the search index is rebuilt after an import (initiatives/search/index.py), and
# coordinators are users, exported separately by username.
SKIPPED_FIELDS = {"coordinators"}


class ImportRefused(Exception):
    """The file cannot be imported into this database; nothing was written."""


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    missing_coordinators: list[str] = field(default_factory=list)

    def summary(self) -> str:
        written = ", ".join(f"{count} {label}" for label, count in self.counts.items())
        return f"{sum(self.counts.values())} poster inlästa ({written})"


class _Encoder(serializers.json.DjangoJSONEncoder):
    # Django's encoder cuts datetimes to milliseconds; keep the microseconds, or every updated_at (and so
    # the API's ETags and Last-Modified) would change on a round trip.
    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _models():
    return [apps.get_model(label) for label in MODELS]


def _fields(model):
    fields = model._meta.concrete_fields + model._meta.many_to_many
    return [f.name for f in fields if not f.primary_key and f.name not in SKIPPED_FIELDS]


def _applied_migrations(using):
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return {app: sorted(name for a, name in applied if a == app) for app in APPS}


def export_catalogue(path: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write the catalogue to `path` (JSON); returns the number of records per model."""
    with transaction.atomic(using=using):  # one consistent snapshot, even while editors are saving
        records, counts = [], {}
        for model in _models():
            objects = model._default_manager.using(using).order_by("pk")
            data = serializers.serialize("python", objects, fields=_fields(model))
            records.extend(data)
            counts[model._meta.label] = len(data)
        coordinators = {
            region.slug: sorted(user.get_username() for user in region.coordinators.all())
            for region in apps.get_model("regions.Region")
            ._default_manager.using(using)
            .prefetch_related("coordinators")
            .order_by("slug")
        }
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": timezone.now().isoformat(),
            "release": settings.RELEASE,
            "migrations": _applied_migrations(using),
            "counts": counts,
            "coordinators": {slug: names for slug, names in coordinators.items() if names},
            "records": records,
        }
    payload = json.dumps(document, cls=_Encoder, ensure_ascii=False, indent=1)
    # Write beside the target and rename: a failed export never leaves half a file under the real name.
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(payload + "\n", encoding="utf-8")
    partial.replace(path)
    return counts


def _read(path: Path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(f"Filen {path} finns inte.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportRefused(f"Filen {path} är inte en läsbar katalogexport (ogiltig JSON: {exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(f"Filen {path} är inte en katalogexport från den här portalen.")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ImportRefused(f"Filen har exportformat {version!r}; den här versionen läser {FORMAT_VERSION}.")
    records, coordinators = document.get("records"), document.get("coordinators", {})
    well_formed = (
        isinstance(records, list)
        and all(
            isinstance(r, dict) and isinstance(r.get("model"), str) and isinstance(r.get("fields"), dict)
            for r in records
        )
        and isinstance(coordinators, dict)
        and all(
            isinstance(names, list) and all(isinstance(n, str) for n in names)
            for names in coordinators.values()
        )
    )
    if not well_formed:
        raise ImportRefused(f"Filen {path} saknar poster eller är trasig.")
    return document


def _check_schema(document, using):
    """The database must have every migration the exporting one had: an older schema lacks fields."""
    here = _applied_migrations(using)
    missing = [
        f"{app}.{name}"
        for app, names in (document.get("migrations") or {}).items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        raise ImportRefused(
            "Filen exporterades från en nyare databas. Kör `manage.py migrate` med samma eller en senare "
            f"version av portalen först. Migreringar som saknas här: {', '.join(missing)}."
        )


def _has_catalogue(using) -> bool:
    # Dimensions and Agenda 2030 goals are created by a migration in every database; they do not count.
    content = [m for m in _models() if m._meta.label not in {"initiatives.Dimension", "initiatives.SdgGoal"}]
    return any(model._default_manager.using(using).exists() for model in content)


def _delete_catalogue(using) -> dict[str, int]:
    deleted = {}
    for model in reversed(_models()):
        # Through the ORM, not SQL, so that each deletion reaches the edit history and the signals.
        deleted[model._meta.label] = (
            model._default_manager.using(using).all().delete()[1].get(model._meta.label, 0)
        )
    return deleted


def import_catalogue(path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> ImportReport:
    """Load a file written by export_catalogue; all or nothing."""
    document = _read(path)
    report = ImportReport()
    reason = f"Inläst från katalogexport {Path(path).name} ({document.get('exported_at', 'okänt datum')})"
    try:
        with transaction.atomic(using=using), search_index.deferred():
            _check_schema(document, using)
            if _has_catalogue(using):
                if not replace:
                    raise ImportRefused(
                        "Databasen har redan en katalog. Importera till en tom databas, eller ange --replace "
                        "för att ersätta den (den ersatta katalogen finns kvar i redigeringshistoriken)."
                    )
                report.deleted = _delete_catalogue(using)
            else:
                # The fixed vocabularies from the migration are replaced by the file's, keys and all.
                for label in ["initiatives.Dimension", "initiatives.SdgGoal"]:
                    apps.get_model(label)._default_manager.using(using).all().delete()

            by_model = {}
            try:
                for item in serializers.deserialize("python", document["records"], using=using):
                    label = item.object._meta.label
                    if label not in MODELS:
                        raise ImportRefused(f"Filen innehåller poster av en okänd sort: {label}.")
                    # A raw save keeps timestamps and keys exactly as exported. Its history comes below,
                    # once the row's many-to-many fields are in place too.
                    item.object.skip_history_when_saving = True
                    item.save(using=using)
                    by_model.setdefault(label, []).append(item.object)
            except DeserializationError as exc:
                raise ImportRefused(f"En post i filen går inte att läsa in: {exc}") from None

            for label in MODELS:
                report.counts[label] = len(by_model.get(label, []))
                for obj in by_model.get(label, []):
                    # Its first version, many-to-many fields included (regions/history.py).
                    del obj.skip_history_when_saving
                    record_version(obj, reason, created=True, using=using)
            expected = document.get("counts") or {}
            if expected and expected != report.counts:
                raise ImportRefused(
                    f"Filen är ofullständig: den anger {expected}, men innehåller {report.counts}."
                )

            _assign_coordinators(document["coordinators"], report, using)

            # Foreign keys are checked at commit, which a surrounding transaction would postpone: check now.
            connection = connections[using]
            tables = [m._meta.db_table for m in _models()]
            tables += [f.remote_field.through._meta.db_table for m in _models() for f in m._meta.many_to_many]
            connection.check_constraints(table_names=tables)
            # Rows came with their keys: move each table's sequence past them (as loaddata does).
            statements = connection.ops.sequence_reset_sql(no_style(), _models())
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            CatalogueVersion.bump()
    except IntegrityError as exc:
        raise ImportRefused(f"Filen strider mot databasens regler: {exc}") from None
    return report


def _assign_coordinators(coordinators, report, using):
    Region = apps.get_model("regions.Region")
    users = {
        user.get_username(): user
        for user in get_user_model()
        ._default_manager.using(using)
        .filter(username__in=[name for names in coordinators.values() for name in names])
    }
    for slug, names in sorted(coordinators.items()):
        region = Region._default_manager.using(using).filter(slug=slug).first()
        if region is None:
            raise ImportRefused(f"Filen anger samordnare för regionen {slug!r}, som inte finns i filen.")
        region.coordinators.set([users[name] for name in names if name in users])
        report.missing_coordinators += [f"{name} ({slug})" for name in names if name not in users]
