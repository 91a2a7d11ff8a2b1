"""The search index: one SearchDocument for each public page or passage, kept in step with the catalogue.

What is indexed (only what the public site shows):
- a region: its names and introduction;
- a published insatsområde: title, summary and body, tagged with the vocabulary it is classified by
  (themes, dimensions, mandatory area and Agenda 2030 goals, in Swedish and English, goals also as
  "mål 12") and its region's names, so that "turism Gotland" or "mål 12" finds it;
- each activity of a published insatsområde: a passage of that insatsområde's page;
- a public contact: name, organisation and role, tagged with the region's names;
- the vocabulary's own pages: each theme, mandatory area and Agenda 2030 goal, so that a query can be
  answered by the theme page first.

Every save, delete or re-tagging through the ORM re-indexes what it touches (signals, in the same
transaction, so the index is never ahead of or behind what was committed). Writers of many records (the
seed, a catalogue import) wrap their work in `deferred()` and the whole index is rebuilt once at the end;
bulk writers without signals call `rebuild()`. After `migrate` the index is rebuilt if it is missing or
was made by an older INDEX_VERSION of the normalisation.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import translation

from . import words as w

# Raise when the terms a text becomes change (words.py, this module): documents of an older version
# are rebuilt after the next migrate.
INDEX_VERSION = 6
BATCH = 500

_deferred = threading.local()


# --- From text to terms -------------------------------------------------------------------------


class Terms:
    """The four term columns of one document, built field by field."""

    def __init__(self):
        self.columns = {"title": [], "tags": [], "body": []}
        self.folded = []
        self.parts = []
        self.examples = {}  # folded term -> a word it came from

    def add(self, column: str, text: str | None, *, english: bool = False) -> None:
        for word in w.words(text):
            stemmed, folded, _parts = w.word_terms(word)
            self.columns[column].append(stemmed)
            if folded != stemmed:  # an ASCII-typed "gavleborg" finds the title at a title's weight
                self.columns[column].append(w.FOLDED + folded)
            # other_terms: every word's folded form in order (phrases; marked where it differs from the
            # stem), then the parts.
            tokens = w.index_tokens(word)
            self.folded.append(tokens[1])
            self.parts.extend(tokens[2:])
            self.examples.setdefault(folded, word)
            if english:
                english_stem = w.english_stem(word)
                if english_stem != stemmed:
                    self.columns[column].append(english_stem)

    def fields(self) -> dict:
        return {
            "title_terms": " ".join(self.columns["title"]),
            "tag_terms": " ".join(self.columns["tags"]),
            "body_terms": " ".join(self.columns["body"]),
            "other_terms": " ".join(self.folded + self.parts),
        }


def _document(kind, obj, *, title, path, text="", region=None, focus_area=None, fill, title_en=""):
    from initiatives.models import SearchDocument

    terms = Terms()
    fill(terms)
    document = SearchDocument(
        kind=kind,
        object_id=obj.pk,
        region=region,
        focus_area=focus_area,
        title=title[:300],
        title_en=title_en[:300],
        path=path,
        text=text,
        version=INDEX_VERSION,
        **terms.fields(),
    )
    document.examples = terms.examples
    return document


def _swedish_path(obj) -> str:
    with translation.override("sv"):
        return obj.get_absolute_url()


def _region_names(terms: Terms, region) -> None:
    terms.add("tags", region.name)
    terms.add("tags", region.short_name)


def region_document(region):
    def fill(terms):
        terms.add("title", region.name)
        terms.add("title", region.short_name)
        terms.add("body", region.introduction)

    return _document(
        "region", region, title=region.name, path=_swedish_path(region), text=region.introduction,
        region=region, fill=fill,
    )  # fmt: skip


def focus_area_document(focus_area):
    def fill(terms):
        terms.add("title", focus_area.title)
        _region_names(terms, focus_area.region)
        for theme in focus_area.themes.all():
            terms.add("tags", theme.name)
            terms.add("tags", theme.name_en, english=True)
        for dimension in focus_area.dimensions.all():
            terms.add("tags", str(dimension))
            terms.add("tags", dimension.english_label(), english=True)
        if focus_area.mandatory_area:
            terms.add("tags", focus_area.mandatory_area.title)
            terms.add("tags", focus_area.mandatory_area.title_en, english=True)
        for goal in focus_area.sdg_goals.all():
            terms.add("tags", f"mål {goal.number} {goal.title}")
            terms.add("tags", f"goal {goal.number} {goal.title_en}", english=True)
        if focus_area.sdg_goals.all():
            terms.add("tags", "Agenda 2030 globala målen")
        for contact in focus_area.contacts.all():  # the page names its contacts
            if contact.is_public:
                terms.add("tags", contact.name)
        terms.add("body", focus_area.summary)
        terms.add("body", focus_area.body)

    return _document(
        "focus_area",
        focus_area,
        title=focus_area.title,
        path=_swedish_path(focus_area),
        # Where the page's own text is empty (its steps say it all), the snippet comes from its steps.
        text=f"{focus_area.summary}\n\n{focus_area.body}".strip()
        or " ".join(f"{a.title} {a.body}".strip() for a in focus_area.activities.all()),
        region=focus_area.region,
        focus_area=focus_area,
        fill=fill,
    )


def activity_document(activity):
    focus_area = activity.focus_area

    def fill(terms):
        terms.add("title", activity.title)
        _region_names(terms, focus_area.region)
        terms.add("body", activity.body)

    return _document(
        "activity",
        activity,
        title=focus_area.title,
        path=_swedish_path(focus_area),
        text=f"{activity.title}\n\n{activity.body}".strip(),
        region=focus_area.region,
        focus_area=focus_area,
        fill=fill,
    )


def contact_document(contact):
    def fill(terms):
        terms.add("title", contact.name)
        terms.add("tags", contact.organisation)
        terms.add("tags", contact.role)
        _region_names(terms, contact.region)

    return _document(
        "contact",
        contact,
        title=contact.name,
        path=_swedish_path(contact.region) + "#kontakter",
        text=contact.organisation,
        region=contact.region,
        fill=fill,
    )


def _vocabulary_document(kind, obj, *, name, name_en, description, description_en, tag):
    """A theme's or mandatory area's own page: its names in the title, its descriptions as text."""

    def fill(terms):
        terms.add("title", name)
        terms.add("title", name_en, english=True)
        terms.add("tags", tag)
        terms.add("body", description)
        terms.add("body", description_en, english=True)

    return _document(
        kind, obj, title=name, title_en=name_en, path=_swedish_path(obj), text=description,
        fill=fill,
    )  # fmt: skip


def theme_document(theme):
    return _vocabulary_document(
        "theme", theme, name=theme.name, name_en=theme.name_en, description=theme.description,
        description_en=theme.description_en, tag="tema",
    )  # fmt: skip


def mandatory_area_document(area):
    return _vocabulary_document(
        "mandatory_area", area, name=area.title, name_en=area.title_en, description=area.description,
        description_en=area.description_en, tag="obligatoriskt område",
    )  # fmt: skip


def goal_document(goal):
    from django.urls import reverse

    def fill(terms):
        terms.add("title", f"mål {goal.number} {goal.title}")
        terms.add("title", f"goal {goal.number} {goal.title_en}", english=True)
        terms.add("tags", "Agenda 2030 globala målen")

    with translation.override("sv"):
        path = f"{reverse('focus_area_list')}?agenda2030={goal.number}"
    return _document(
        "goal", goal, title=f"{goal.number}. {goal.title}", title_en=f"{goal.number}. {goal.title_en}",
        path=path, fill=fill,
    )  # fmt: skip


# --- What is public -----------------------------------------------------------------------------


def _models():
    from contacts.models import Contact
    from initiatives.models import Activity, FocusArea, MandatoryArea, SdgGoal, Theme
    from regions.models import Region

    return Region, FocusArea, Activity, Contact, Theme, SdgGoal, MandatoryArea


def _all_documents():
    Region, _, _, Contact, Theme, SdgGoal, MandatoryArea = _models()
    yield from (region_document(r) for r in Region.objects.all())
    focus_areas = _focus_areas_for_index().filter(status="published").order_by("pk")
    for start in range(0, focus_areas.count(), BATCH):
        for fa in focus_areas[start : start + BATCH]:
            yield focus_area_document(fa)
            yield from (activity_document(a) for a in fa.activities.all())
    yield from (contact_document(c) for c in Contact.objects.public().select_related("region"))
    yield from (theme_document(t) for t in Theme.objects.all())
    yield from (goal_document(g) for g in SdgGoal.objects.all())
    yield from (mandatory_area_document(m) for m in MandatoryArea.objects.all())


def _write(documents, *, replace_keys=()) -> None:
    """Replace the documents with the keys `replace_keys` ((kind, object_id) pairs) by `documents`."""
    from initiatives.models import SearchDocument, SearchTerm

    with transaction.atomic():
        by_kind = {}
        for kind, object_id in replace_keys:
            by_kind.setdefault(kind, []).append(object_id)
        for kind, ids in by_kind.items():
            SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
        SearchDocument.objects.bulk_create(documents, batch_size=BATCH)
        examples = {}
        for document in documents:
            for term, word in document.examples.items():
                if len(term) <= 100:
                    examples.setdefault(term, word[:100])
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term, length=len(term), word=word) for term, word in examples.items()],
            batch_size=BATCH * 4,
            ignore_conflicts=True,
        )


def rebuild() -> int:
    """The whole index again, in one transaction; returns the number of documents."""
    from initiatives.models import SearchDocument, SearchTerm

    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        count = 0
        batch = []
        for document in _all_documents():
            batch.append(document)
            if len(batch) >= BATCH:
                _write(batch)
                count += len(batch)
                batch = []
        _write(batch)
        return count + len(batch)


def needs_rebuild() -> bool:
    """No index though there is a catalogue, or one made by an older normalisation."""
    from initiatives.models import SearchDocument
    from regions.models import Region

    if SearchDocument.objects.exclude(version=INDEX_VERSION).exists():
        return True
    return Region.objects.exists() and not SearchDocument.objects.exists()


# --- Keeping it in step -------------------------------------------------------------------------


@contextmanager
def deferred():
    """Inside this block (one thread's), saves do not re-index; the index is rebuilt once at the end,
    if anything was written. For writers of many records in one transaction: the seed, an import."""
    if getattr(_deferred, "active", False):  # inside another: that one rebuilds
        yield
        return
    _deferred.active, _deferred.changed = True, False
    try:
        yield
    finally:
        _deferred.active = False
    if _deferred.changed:
        rebuild()


def _postponed() -> bool:
    if getattr(_deferred, "active", False):
        _deferred.changed = True
        return True
    return False


def _focus_areas_for_index():
    _, FocusArea, *_ = _models()
    return FocusArea.objects.select_related("region", "mandatory_area").prefetch_related(
        "themes", "dimensions", "sdg_goals", "contacts", "activities"
    )


def reindex_focus_areas(focus_area_ids) -> None:
    """Insatsområden and their activities (published or not: an unpublished one leaves the index)."""
    focus_areas = list(_focus_areas_for_index().filter(pk__in=focus_area_ids))
    activities = [activity for fa in focus_areas for activity in fa.activities.all()]
    keys = [("focus_area", pk) for pk in focus_area_ids] + [("activity", a.pk) for a in activities]
    published = [fa for fa in focus_areas if fa.status == "published"]
    documents = [focus_area_document(fa) for fa in published]
    documents += [activity_document(a) for fa in published for a in fa.activities.all()]
    _write(documents, replace_keys=keys)


def reindex_region(region) -> None:
    """A region and everything tagged with its names: its insatsområden, activities and contacts."""
    _, FocusArea, _, Contact, *_ = _models()
    contacts = list(Contact.objects.filter(region=region).select_related("region"))
    documents = [region_document(region)] + [contact_document(c) for c in contacts if c.is_public]
    _write(documents, replace_keys=[("region", region.pk)] + [("contact", c.pk) for c in contacts])
    reindex_focus_areas(list(FocusArea.objects.filter(region=region).values_list("pk", flat=True)))


def _vocabulary_saved(obj, builder, kind) -> None:
    """A theme, goal or mandatory area: its own page, and the insatsområden tagged with it."""
    _write([builder(obj)], replace_keys=[(kind, obj.pk)])
    ids = list(obj.focus_areas.values_list("pk", flat=True))
    if ids:
        reindex_focus_areas(ids)


def _on_save(sender, instance, raw=False, **kwargs):
    if raw or _postponed():
        return
    Region, FocusArea, Activity, Contact, Theme, SdgGoal, MandatoryArea = _models()
    if sender is Region:
        reindex_region(instance)
    elif sender is FocusArea:
        reindex_focus_areas([instance.pk])
    elif sender is Activity:  # its insatsområde's snippet may come from its steps
        reindex_focus_areas([instance.focus_area_id])
    elif sender is Contact:
        documents = [contact_document(instance)] if instance.is_public else []
        _write(documents, replace_keys=[("contact", instance.pk)])
        reindex_focus_areas(list(instance.focus_areas.values_list("pk", flat=True)))
    elif sender is Theme:
        _vocabulary_saved(instance, theme_document, "theme")
    elif sender is SdgGoal:
        _vocabulary_saved(instance, goal_document, "goal")
    elif sender is MandatoryArea:
        _vocabulary_saved(instance, mandatory_area_document, "mandatory_area")


KINDS = {"Region": "region", "Activity": "activity", "Contact": "contact", "Theme": "theme",
         "SdgGoal": "goal", "MandatoryArea": "mandatory_area", "FocusArea": "focus_area"}  # fmt: skip


def _on_delete(sender, instance, **kwargs):
    if _postponed():
        return
    from initiatives.models import SearchDocument

    SearchDocument.objects.filter(kind=KINDS[sender.__name__], object_id=instance.pk).delete()
    if sender.__name__ == "FocusArea":
        SearchDocument.objects.filter(focus_area_id=instance.pk).delete()
    elif sender.__name__ == "Activity":
        _, FocusArea, *_ = _models()
        if FocusArea.objects.filter(pk=instance.focus_area_id).exists():  # not a cascade from it
            reindex_focus_areas([instance.focus_area_id])
    elif sender.__name__ == "Contact":
        # Its insatsområden named it (and their links to it are gone already): an erased person must
        # not be found through them.
        _, FocusArea, *_ = _models()
        ids = FocusArea.objects.filter(region_id=instance.region_id).values_list("pk", flat=True)
        reindex_focus_areas(list(ids))


def _on_tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_") or _postponed():
        return
    _, FocusArea, _, Contact, *_ = _models()
    if isinstance(instance, FocusArea):
        reindex_focus_areas([instance.pk])
    elif isinstance(instance, Contact):
        # Cleared: any insatsområde of the region may have named the contact.
        ids = pk_set or FocusArea.objects.filter(region_id=instance.region_id).values_list("pk", flat=True)
        reindex_focus_areas(list(ids))
    elif pk_set:
        reindex_focus_areas(list(pk_set))
    else:  # a theme's or goal's insatsområden cleared: every insatsområde that may have had it
        reindex_focus_areas(list(FocusArea.objects.values_list("pk", flat=True)))


def _after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "initiatives":
        return
    from django.db import connections

    if "initiatives_searchdocument" not in connections[using].introspection.table_names():
        return  # migrated backwards past the index
    if needs_rebuild():
        rebuild()


def connect(app_config):
    Region, FocusArea, Activity, Contact, Theme, SdgGoal, MandatoryArea = _models()
    for model in (Region, FocusArea, Activity, Contact, Theme, SdgGoal, MandatoryArea):
        uid = f"search-index-{model.__name__}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete")
    for field in ("themes", "dimensions", "sdg_goals"):
        through = getattr(FocusArea, field).through
        m2m_changed.connect(_on_tags_changed, sender=through, dispatch_uid=f"search-index-m2m-{field}")
    m2m_changed.connect(
        _on_tags_changed, sender=Contact.focus_areas.through, dispatch_uid="search-index-m2m-contacts"
    )
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="search-index-migrate")
