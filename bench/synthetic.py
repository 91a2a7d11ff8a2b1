"""Grow the seeded catalogue to N times its size with realistic Swedish text, for benchmarks and for the
tests that check query counts stay flat as data grows.

Copies are made of every published insatsområde (its real title and texts, numbered), spread round the
21 regions, each with two themes, a dimension, its original activities plus three more made of its own
sentences, and 30 contacts for each 1× of data: at 100× about 5,600 insatsområden, 20,000
activities and 3,000 contacts.
"""

import itertools
import re

from contacts.models import Contact
from initiatives.models import Activity, Dimension, FocusArea, Status, Theme
from initiatives.search import index as search_index
from regions.models import CatalogueVersion, Region

BATCH = 2000


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20] or [text or "Ett steg i arbetet."]


def grow_catalogue(factor: int) -> None:
    if factor <= 1:
        return
    regions = list(Region.objects.order_by("pk"))
    themes = list(Theme.objects.order_by("pk"))
    dimensions = list(Dimension.objects.order_by("pk"))
    originals = list(FocusArea.objects.published().prefetch_related("activities").order_by("pk"))
    copies = [
        FocusArea(
            region=regions[(n + i) % len(regions)],
            title=f"{original.title} ({n})",
            slug=f"{original.slug}-{n}",
            summary=original.summary,
            body=original.body,
            order=100 + n,
            status=Status.PUBLISHED,
        )
        for n in range(1, factor)
        for i, original in enumerate(originals)
    ]
    FocusArea.objects.bulk_create(copies, batch_size=BATCH)
    copies = list(FocusArea.objects.filter(order__gte=100).order_by("pk"))
    by_title = {original.title: original for original in originals}

    theme_cycle = itertools.cycle(themes)
    FocusArea.themes.through.objects.bulk_create(
        (FocusArea.themes.through(focusarea=fa, theme=next(theme_cycle)) for fa in copies for _ in range(2)),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    FocusArea.dimensions.through.objects.bulk_create(
        (FocusArea.dimensions.through(focusarea=fa, dimension=dimensions[fa.pk % 3]) for fa in copies),
        batch_size=BATCH,
    )

    def activities_of(copy):
        original = by_title[copy.title.rsplit(" (", 1)[0]]
        texts = [(a.title, a.body) for a in original.activities.all()]
        texts += [("", s) for s in sentences(original.summary + " " + original.body)[:3]]
        return [Activity(focus_area=copy, order=n, title=t, body=b) for n, (t, b) in enumerate(texts, 1)]

    Activity.objects.bulk_create(
        (activity for copy in copies for activity in activities_of(copy)), batch_size=BATCH
    )
    first_names = ["Anna", "Erik", "Maria", "Lars", "Sara", "Johan", "Karin", "Per", "Emma", "Nils"]
    last_names = ["Andersson", "Lindqvist", "Nilsson", "Berg", "Holm", "Sjöberg", "Åkesson", "Öberg"]
    names = itertools.cycle(f"{first} {last}" for last in last_names for first in first_names)
    contacts = Contact.objects.bulk_create(
        (
            Contact(region=regions[n % len(regions)], name=f"{next(names)} {n}", phone="070-123 45 67")
            for n in range(30 * factor)
        ),
        batch_size=BATCH,
    )
    Contact.focus_areas.through.objects.bulk_create(
        (
            Contact.focus_areas.through(contact=c, focusarea=copies[i % len(copies)])
            for i, c in enumerate(contacts)
        ),
        batch_size=BATCH,
    )
    # Bulk writes send no signals: the search index and the pages' cache key are brought up to date here.
    search_index.rebuild()
    CatalogueVersion.bump()
