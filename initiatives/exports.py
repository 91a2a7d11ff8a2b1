"""Open-data downloads: the filtered list as CSV, and the whole published catalogue as JSON.

Published content only; hidden contacts never. The CSV is UTF-8 with a byte-order mark so that Excel opens
å/ä/ö right, and every cell that a spreadsheet could read as a formula (= + - @, tab, carriage return at
the start) is neutralised with a leading apostrophe (CSV injection).
"""

import csv
import io

from django.db.models import Prefetch
from django.urls import reverse

from contacts.models import Contact
from regions.models import Region, SourceDiscrepancy

from .models import Activity, Dimension, FocusArea, Link, MandatoryArea, Theme

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LICENCE = {"name": "CC0 1.0 Universal", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}

CSV_COLUMNS = [
    "region",
    "länskod",
    "insatsområde",
    "teman",
    "hållbarhetsdimensioner",
    "obligatoriskt område",
    "Agenda 2030-mål",
    "webbadress",
    # A person's last change (regions/edits.py), empty where nobody has changed the record since it was
    # taken from the source text: the import is not an update. The source's date is in the JSON.
    "senast ändrad",
    "källa",
]


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _grouped(pairs):
    grouped = {}
    for focus_area_id, value in pairs:
        grouped.setdefault(focus_area_id, []).append(value)
    return grouped


def focus_area_csv_lines(queryset, absolute_url, batch=500):
    """The CSV of `queryset`'s insatsområden, as chunks of text to stream.

    Four queries whatever the size, none through model instances: the rows as values, then the themes,
    dimensions and goals of all of them (a catalogue of 5,600 insatsområden in about 0.1 s, where prefetching
    built 33,000 related managers).
    """
    rows = list(
        queryset.values_list(
            "pk",
            "region__name",
            "region__county_code",
            "region__slug",
            "slug",
            "title",
            "mandatory_area__title",
            "edited_at",
            "source__publisher",
            "source__title",
        )
    )
    ids = [row[0] for row in rows]
    through = FocusArea.themes.through.objects.filter(focusarea_id__in=ids)
    themes = _grouped(through.order_by("theme__name", "theme_id").values_list("focusarea_id", "theme__name"))
    dimension_names = {slug: str(label) for slug, label in Dimension.Slug.choices}
    dimensions = _grouped(
        FocusArea.dimensions.through.objects.filter(focusarea_id__in=ids)
        .order_by("dimension__order", "dimension_id")
        .values_list("focusarea_id", "dimension__slug")
    )
    goals = _grouped(
        FocusArea.sdg_goals.through.objects.filter(focusarea_id__in=ids)
        .order_by("sdggoal__number")
        .values_list("focusarea_id", "sdggoal__number")
    )
    # One reverse() for all: every insatsområde's address has the same shape, …/<region>/<slug>/.
    shape = absolute_url(reverse("focus_area_detail", args=["r", "s"]))
    assert shape.endswith("/r/s/"), shape
    prefix = shape.removesuffix("r/s/")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    for n, (pk, region, county, region_slug, slug, title, mandatory, edited, publisher, source) in enumerate(
        rows, 1
    ):
        row = [
            region,
            county,
            title,
            ", ".join(themes.get(pk, ())),
            ", ".join(dimension_names.get(d, d) for d in dimensions.get(pk, ())),
            mandatory or "",
            ", ".join(str(number) for number in goals.get(pk, ())),
            f"{prefix}{region_slug}/{slug}/",
            edited.isoformat(timespec="seconds") if edited else "",
            f"{publisher}: {source}" if publisher is not None else "",
        ]
        writer.writerow([safe_cell(cell) for cell in row])
        if n % batch == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def focus_areas_csv(queryset, absolute_url) -> str:
    return "".join(focus_area_csv_lines(queryset, absolute_url))


def _source(obj):
    if obj.source is None:
        return None
    source = obj.source
    return {
        "publisher": source.publisher,
        "title": source.title,
        "section": obj.source_section,
        # What is known of the text's date: a date, or the editors' note where it has none.
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "date_note": source.date_note or None,
    }


def _link(link):
    return {"label": link.label, "url": link.url or None}


def _contact(contact):
    return {
        "name": contact.name,
        "organisation": contact.organisation,
        "role": contact.role,
        "phone": contact.phone,
        "phone_e164": contact.phone_normalised,
        "email": contact.email,
    }


def focus_area_data(fa, absolute_url) -> dict:
    return {
        "slug": fa.slug,
        "title": fa.title,
        "region": fa.region.slug,
        "region_name": fa.region.name,
        "summary": fa.summary,
        "body": fa.body,
        "html_url": absolute_url(fa.get_absolute_url()),
        "mandatory_area": fa.mandatory_area.slug if fa.mandatory_area else None,
        "themes": [theme.slug for theme in fa.themes.all()],
        "dimensions": [dimension.slug for dimension in fa.dimensions.all()],
        "agenda2030": [goal.number for goal in fa.sdg_goals.all()],
        "activities": [{"title": a.title, "body": a.body, "source": _source(a)} for a in fa.activities.all()],
        "contacts": [_contact(c) for c in fa.contacts.all()],
        "links": [_link(link) for link in fa.links.all()],
        "source": _source(fa),
        # When a person last changed it; null if nobody has since it was taken from its source text.
        "edited": fa.edited_at.isoformat(timespec="seconds") if fa.edited_at else None,
    }


def published_focus_areas():
    return (
        FocusArea.objects.published()
        .select_related("mandatory_area", "source")
        .prefetch_related(
            "themes",
            "dimensions",
            "sdg_goals",
            Prefetch("activities", queryset=Activity.objects.select_related("source")),
            Prefetch("contacts", queryset=Contact.objects.public()),
            "links",
        )
        .order_by("order", "title")
    )


def catalogue_data(absolute_url) -> dict:
    """The whole published catalogue, as the JSON download gives it."""
    regions = (
        Region.objects.alphabetical()
        .select_related("source")
        .prefetch_related(
            Prefetch("focus_areas", queryset=published_focus_areas()),
            Prefetch("contacts", queryset=Contact.objects.public()),
            Prefetch("links", queryset=Link.objects.filter(focus_area=None)),
            Prefetch(
                "discrepancies",
                queryset=SourceDiscrepancy.objects.select_related(
                    "focus_area", "first_source", "second_source"
                ),
            ),
        )
    )
    return {
        "title": "Vägar till hållbar utveckling: regionernas arbete",
        "publisher": "Tillväxtverket",
        "license": LICENCE,
        "mandatory_areas": [
            {"slug": m.slug, "number": m.number, "title": m.title, "description": m.description}
            for m in MandatoryArea.objects.all()
        ],
        "themes": [
            {"slug": t.slug, "name": t.name, "description": t.description} for t in Theme.objects.all()
        ],
        "regions": [
            {
                "slug": r.slug,
                "name": r.name,
                "county_code": r.county_code,
                "html_url": absolute_url(r.get_absolute_url()),
                "introduction": r.introduction,
                "source": _source(r),
                "links": [_link(link) for link in r.links.all()],
                "contacts": [_contact(c) for c in r.contacts.all()],
                "focus_areas": [focus_area_data(fa, absolute_url) for fa in r.focus_areas.all()],
                # Where the two source texts say different things: both, each with its source.
                "source_discrepancies": [
                    {
                        "subject": d.subject,
                        "focus_area": d.focus_area.slug if d.focus_area else None,
                        "sources": [
                            {
                                "publisher": d.first_source.publisher,
                                "title": d.first_source.title,
                                "says": d.first_says,
                            },
                            {
                                "publisher": d.second_source.publisher,
                                "title": d.second_source.title,
                                "says": d.second_says,
                            },
                        ],
                    }
                    for d in r.discrepancies.all()
                ],
            }
            for r in regions
        ],
    }
