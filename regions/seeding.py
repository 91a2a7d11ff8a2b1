"""Load the curated catalogue in fixtures/catalogue/ into the database (`manage.py seed`).

The fixtures are TOML, one file per region, keyed by natural keys (slugs, numbers, names), so they load
into any database. The format is described in fixtures/README.md.

Editors own the data once it is loaded. For every record it writes, the seed remembers a fingerprint of the
fields it set (`SeedRecord`). On the next run a record is
- created if it is new to the fixtures;
- left as it is if it already matches the fixtures;
- updated if the fixtures changed and nobody has edited the record since it was seeded;
- otherwise skipped with a message: an editor changed or deleted it, and their version wins unless the
  seed is run with `force=True`.
The whole load is one transaction: a broken fixture leaves the database as it was.
"""

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils.text import slugify

from contacts.models import Contact
from initiatives.models import Activity, Dimension, FocusArea, Link, MandatoryArea, SdgGoal, Status, Theme
from initiatives.search import index as search_index

from .history import record_version, save_without_history
from .models import Region, SeedRecord, Source, SourceDiscrepancy
from .signals import one_version_bump

SECTION_SEPARATOR = " › "
# The reason on the version a seeded record gets in the edit history: one version per created or
# updated record, its many-to-many fields included.
SEED_REASON = "Inläst från katalogens fixtures (manage.py seed)"


class FixtureError(Exception):
    """The fixtures contradict themselves or the database's fixed vocabularies."""


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} skapade, {self.updated} uppdaterade, {self.unchanged} oförändrade, "
            f"{len(self.skipped)} hoppade över (ändrade av redaktör)"
        )


def catalogue_dir() -> Path:
    return Path(settings.SEED_DIR) / "catalogue"


def read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise FixtureError(f"{path}: {exc}") from exc


def _canonical(value):
    if isinstance(value, models.Model):
        return value.pk
    return value


def _fingerprint(values: dict, m2m: dict) -> str:
    data = {name: _canonical(value) for name, value in values.items()}
    data.update({name: sorted(_canonical(v) for v in items) for name, items in m2m.items()})
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _current_values(obj: models.Model, values: dict) -> dict:
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in values}


def _current_fingerprint(obj: models.Model, values: dict, m2m: dict) -> str:
    current_m2m = {name: list(getattr(obj, name).values_list("pk", flat=True)) for name in m2m}
    return _fingerprint(_current_values(obj, values), current_m2m)


def _fingerprint_before_new_fields(obj: models.Model, values: dict, m2m: dict) -> str | None:
    """The fingerprint an earlier seed would have recorded before the fixtures set fields that are still
    empty in the record (a field added later, such as the English names): None if there are none.

    If the record's seed fingerprint matches it, nobody has edited the record, and the new fields may be
    filled in. A field an editor emptied was part of the earlier fingerprint, so it never matches here.
    """
    current = _current_values(obj, values)
    new = {name for name, value in values.items() if current[name] in ("", None) and value not in ("", None)}
    if not new:
        return None
    current_m2m = {name: list(getattr(obj, name).values_list("pk", flat=True)) for name in m2m}
    return _fingerprint({k: v for k, v in current.items() if k not in new}, current_m2m)


class Loader:
    def __init__(self, force: bool = False):
        self.force = force
        self.report = SeedReport()

    def upsert(self, model, lookup: dict, values: dict, m2m: dict | None = None, label: str = ""):
        """Create or update one record by its natural key, respecting editors' changes (module docstring)."""
        m2m = m2m or {}
        key = "/".join(str(_canonical(v)) for v in lookup.values())
        label = label or key
        wanted = _fingerprint(values, m2m)
        record = self.seed_records.get((model._meta.label, key))
        obj = model.objects.filter(**lookup).first()

        if obj is None and record is not None and not self.force:
            self.report.skipped.append(
                f"{label}: borttagen av en redaktör efter inläsningen; återskapas inte."
            )
            return None
        if obj is None:
            obj = model(**lookup, **values)
            save_without_history(obj, m2m)
            record_version(obj, SEED_REASON, created=True)
            self.report.created += 1
        else:
            current = _current_fingerprint(obj, values, m2m)
            if current == wanted:
                self.report.unchanged += 1
            elif self.force or (
                record is not None
                and record.fingerprint in (current, _fingerprint_before_new_fields(obj, values, m2m))
            ):
                for name, value in values.items():
                    setattr(obj, name, value)
                save_without_history(obj, m2m)
                record_version(obj, SEED_REASON, created=False)
                self.report.updated += 1
            else:
                self.report.skipped.append(
                    f"{label}: ändrad av en redaktör efter inläsningen; redaktörens version behålls "
                    "(kör med --force för att skriva över)."
                )
                return obj
        if record is None:
            SeedRecord.objects.create(model_label=model._meta.label, natural_key=key, fingerprint=wanted)
        elif record.fingerprint != wanted:
            record.fingerprint = wanted
            record.save(update_fields=["fingerprint", "seeded_at"])
        return obj

    # --- The fixture files -------------------------------------------------------------------------

    def load(self, directory: Path) -> SeedReport:
        with transaction.atomic(), one_version_bump(), search_index.deferred():
            # What earlier runs wrote, read once: one query instead of one per record.
            self.seed_records = {
                (record.model_label, record.natural_key): record for record in SeedRecord.objects.all()
            }
            self.sources = {
                s["slug"]: self.load_source(s) for s in read_toml(directory / "sources.toml")["source"]
            }
            self.mandatory_areas = {
                m["number"]: self.load_mandatory_area(m)
                for m in read_toml(directory / "mandatory_areas.toml")["mandatory_area"]
            }
            self.themes = {
                t["slug"]: self.load_theme(t) for t in read_toml(directory / "themes.toml")["theme"]
            }
            self.dimensions = {d.slug: d for d in Dimension.objects.all()}
            self.sdg_goals = {g.number: g for g in SdgGoal.objects.all()}
            region_files = sorted((directory / "regions").glob("*.toml"))
            if not region_files:
                raise FixtureError(f"No region files in {directory / 'regions'}.")
            for path in region_files:
                self.load_region(read_toml(path), path)
        return self.report

    def source(self, data: dict, default: Source) -> Source:
        slug = data.get("source")
        if slug is None:
            return default
        try:
            return self.sources[slug]
        except KeyError:
            raise FixtureError(
                f"Unknown source {slug!r}; sources.toml lists {sorted(self.sources)}."
            ) from None

    def load_source(self, data: dict) -> Source:
        values = {
            k: data.get(k, "")
            for k in ("title", "publisher", "url", "file_name", "introduction", "date_note")
        }
        values["published_on"] = data.get("published_on")  # a TOML date, or None where it is not known
        return self.upsert(Source, {"slug": data["slug"]}, values, label=data["title"])

    def load_mandatory_area(self, data: dict) -> MandatoryArea:
        values = {
            "slug": data["slug"],
            "title": data["title"],
            "description": data.get("description", ""),
            "title_en": data.get("title_en", ""),
            "description_en": data.get("description_en", ""),
            "source": self.sources[data["source"]],
            "source_section": data.get("section", ""),
        }
        return self.upsert(MandatoryArea, {"number": data["number"]}, values, label=data["title"])

    def load_theme(self, data: dict) -> Theme:
        values = {
            "name": data["name"],
            "description": data.get("description", ""),
            "name_en": data.get("name_en", ""),
            "description_en": data.get("description_en", ""),
        }
        return self.upsert(Theme, {"slug": data["slug"]}, values, label=data["name"])

    def load_region(self, data: dict, path: Path) -> None:
        default_source = self.source(data, None)
        if default_source is None:
            raise FixtureError(f"{path}: a region file must name its source.")
        region_section = data.get("section", data["name"])
        region = self.upsert(
            Region,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "short_name": data["short_name"],
                "county_code": data["county_code"],
                "introduction": data.get("introduction", ""),
                "source": self.source(data.get("introduction_from", {}), default_source),
                "source_section": data.get("introduction_from", {}).get("section", region_section),
            },
            label=data["name"],
        )
        if region is None:
            return
        focus_areas = {}
        for order, fa in enumerate(data.get("focus_area", []), start=1):
            focus_areas[fa["slug"]] = self.load_focus_area(region, fa, order, default_source, region_section)
        for order, link in enumerate(data.get("link", []), start=1):
            self.load_link(region, None, link, order, default_source, region_section)
        for order, contact in enumerate(data.get("contact", []), start=1):
            self.load_contact(region, focus_areas, contact, order, default_source, region_section)
        for discrepancy in data.get("discrepancy", []):
            self.load_discrepancy(region, focus_areas, discrepancy)

    def load_discrepancy(self, region, focus_areas, data) -> None:
        focus_area = focus_areas.get(data["focus_area"]) if "focus_area" in data else None
        if "focus_area" in data and data["focus_area"] not in focus_areas:
            raise FixtureError(
                f"{region.name}: a discrepancy names an unknown insatsområde {data['focus_area']!r}."
            )
        self.upsert(
            SourceDiscrepancy,
            {"region": region, "subject": data["subject"]},
            {
                "focus_area": focus_area,
                "first_source": self.source({"source": data["first_source"]}, None),
                "first_says": data["first_says"],
                "second_source": self.source({"source": data["second_source"]}, None),
                "second_says": data["second_says"],
            },
            label=f"{region.name}{SECTION_SEPARATOR}{data['subject']}",
        )

    def load_focus_area(self, region, data, order, default_source, region_section) -> FocusArea | None:
        source = self.source(data, default_source)
        heading = data.get("heading", data["title"])
        section = data.get("section") or (
            region_section + SECTION_SEPARATOR + heading if heading else region_section
        )
        slug = data["slug"]
        if slug != slugify(slug):
            raise FixtureError(f"{region.name}: {slug!r} is not a slug.")
        try:
            mandatory_area = (
                self.mandatory_areas[data["mandatory_area"]] if "mandatory_area" in data else None
            )
            m2m = {
                "themes": [self.themes[s] for s in data.get("themes", [])],
                "dimensions": [self.dimensions[s] for s in data.get("dimensions", [])],
                "sdg_goals": [self.sdg_goals[n] for n in data.get("agenda2030", [])],
            }
        except KeyError as exc:
            raise FixtureError(f"{region.name} › {data['title']}: unknown value {exc}.") from None
        label = f"{region.name}{SECTION_SEPARATOR}{data['title']}"
        focus_area = self.upsert(
            FocusArea,
            {"region": region, "slug": slug},
            {
                "title": data["title"],
                "summary": data.get("summary", "").strip(),
                "body": data.get("body", "").strip(),
                "order": order,
                "mandatory_area": mandatory_area,
                "status": Status.PUBLISHED,
                "source": source,
                "source_section": section,
            },
            m2m,
            label=label,
        )
        if focus_area is None:
            return None
        for activity_order, activity in enumerate(data.get("activity", []), start=1):
            activity_source = self.source(activity, source)
            self.upsert(
                Activity,
                {"focus_area": focus_area, "order": activity_order},
                {
                    "title": activity.get("title", ""),
                    "body": activity.get("body", "").strip(),
                    "source": activity_source,
                    "source_section": activity.get("section", section),
                },
                label=f"{label}{SECTION_SEPARATOR}aktivitet {activity_order}",
            )
        for link_order, link in enumerate(data.get("link", []), start=1):
            self.load_link(region, focus_area, link, link_order, source, section)
        return focus_area

    def load_link(self, region, focus_area, data, order, default_source, default_section) -> None:
        owner = focus_area.slug if focus_area else ""
        self.upsert(
            Link,
            {"region": region, "focus_area": focus_area, "order": order},
            {
                "label": data["label"],
                "url": data.get("url", ""),
                "source": self.source(data, default_source),
                "source_section": data.get("section", default_section),
            },
            label=f"{region.name}{SECTION_SEPARATOR}{owner}{SECTION_SEPARATOR}länk {data['label']}",
        )

    def load_contact(self, region, focus_areas, data, order, default_source, default_section) -> None:
        try:
            areas = [focus_areas[slug] for slug in data.get("focus_areas", [])]
        except KeyError as exc:
            raise FixtureError(
                f"{region.name} › {data['name']}: no focus area {exc} in this region."
            ) from None
        self.upsert(
            Contact,
            {"region": region, "name": data["name"]},
            {
                "organisation": data.get("organisation", ""),
                "role": data.get("role", ""),
                "phone": data.get("phone", ""),
                "email": data.get("email", ""),
                "is_public": True,
                "order": order,
                "source": self.source(data, default_source),
                "source_section": data.get("section", default_section),
            },
            {"focus_areas": [a for a in areas if a is not None]},
            label=f"{region.name}{SECTION_SEPARATOR}{data['name']}",
        )


def seed(force: bool = False, directory: Path | None = None) -> SeedReport:
    # Cached pages must not outlive the seed's writes: the version is bumped once, at the end of the
    # transaction's work (regions/signals.py), and not at all when nothing changed.
    return Loader(force=force).load(directory or catalogue_dir())
