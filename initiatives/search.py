"""Search across the catalogue: the /sok/ page and the `q` filter of /insatsomraden/.

On PostgreSQL:
- Swedish full-text search (`swedish` text-search configuration: stemming, stop words) over each
  model's stored `search_vector`: weighted so that a title counts more than a summary, a summary more than
  a body, kept current by a trigger and served by a GIN index (initiatives/migrations/0004_search_triggers).
- Plain words are matched as prefixes of their stems, so "näringsliv" reaches "näringslivsutveckling" and
  "besöksnäringen" reaches "Besöksnäring". A query with quotes, `-` or `OR` is read as websearch syntax
  instead ("cirkulär ekonomi" as a phrase, -besöksnäring to exclude).
- Typos and ASCII-typed words ("cirkulr ekonomi", "besoksnaring", "gavleborg") are caught by trigram
  word similarity on unaccented titles and names (indexed too), while å/ä/ö stay distinct in the stemmed
  index. These near misses are a fallback, shown only when nothing matches as written.

On SQLite (the embedded default) the same functions do a simpler match: every word must occur,
case-insensitively, in one of the same fields. No stemming, no typo tolerance.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func, Q, TextField, Transform, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from contacts.models import Contact
from regions.models import Region

from .models import Activity, FocusArea, Theme

CONFIG = "swedish"
MAX_LENGTH = 200
MIN_LENGTH = 2
MAX_WORDS = 10
RESULTS_PER_KIND = 20
WORD = re.compile(r"[^\W_]+")
WEBSEARCH_SYNTAX = re.compile(r'"|(^|\s)-\w|\sOR\s')
MARK_START, MARK_END = "\x02", "\x03"


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def strip_accents(text: str) -> str:
    """What PostgreSQL's unaccent does for Swedish: å ä → a, ö → o, é → e."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass
class CleanQuery:
    text: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)[:MAX_WORDS]

    @property
    def usable(self) -> bool:
        return any(len(word) >= MIN_LENGTH for word in self.words)


def clean_query(raw: str | None) -> CleanQuery:
    """The visitor's text, without control characters, capped in length, with what was changed said."""
    result = CleanQuery()
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in (raw or ""))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_LENGTH:
        result.notices.append(
            _("Sökningen var för lång; de första %(max)s tecknen används.") % {"max": MAX_LENGTH}
        )
        text = text[:MAX_LENGTH].rsplit(" ", 1)[0] if " " in text[:MAX_LENGTH] else text[:MAX_LENGTH]
    result.text = text
    if text and not result.usable:
        result.notices.append(_("Skriv minst två bokstäver eller siffror för att söka."))
    return result


def tsquery(query: CleanQuery) -> SearchQuery:
    if WEBSEARCH_SYNTAX.search(query.text):
        return SearchQuery(query.text, search_type="websearch", config=CONFIG)
    # Only letters and digits reach the raw syntax, so nothing the visitor types can break it.
    terms = " & ".join(f"{word}:*" for word in query.words if len(word) >= MIN_LENGTH)
    return SearchQuery(terms, search_type="raw", config=CONFIG)


def _containment(fields, words) -> Q:
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


class PortalUnaccent(Transform):
    """`field__portal_unaccent`: the IMMUTABLE unaccent wrapper that the trigram indexes are built on.
    Registered on CharField and TextField in InitiativesConfig.ready()."""

    lookup_name = "portal_unaccent"
    function = "portal_unaccent"


def _similar(field_name: str, query: CleanQuery) -> Q:
    return Q(**{f"{field_name}__portal_unaccent__trigram_word_similar": strip_accents(query.text)})


def matching_focus_area_ids(raw_text: str) -> list[int]:
    """The published insatsområden the text finds: as written (stems, prefixes) or, if that finds nothing,
    its near misses. The list's `q` filter; one query, two on a fallback."""
    published = FocusArea.objects.published().order_by()
    ids = list(filter_focus_areas(published, raw_text).values_list("pk", flat=True))
    if not ids and uses_postgres():
        ids = list(filter_focus_areas(published, raw_text, near_misses=True).values_list("pk", flat=True))
    return ids


def filter_focus_areas(queryset, raw_text: str, near_misses: bool = False):
    """The insatsområden matching a free-text query: the `q` filter of the list (and of the API).

    As on /sok/, near misses by trigram similarity are a fallback (`near_misses=True`) for text that
    matches nothing as written, so a precise query stays precise. SQLite has no near misses.
    """
    query = clean_query(raw_text)
    if not query.usable:
        return queryset
    if not uses_postgres():
        in_activities = Activity.objects.filter(_containment(["title", "body"], query.words))
        return queryset.filter(
            _containment(["title", "summary", "body", "region__name"], query.words)
            | Q(pk__in=in_activities.values("focus_area_id"))
        )
    if near_misses:
        return queryset.filter(_similar("title", query))
    search = tsquery(query)
    in_activities = Activity.objects.filter(search_vector=search)
    return queryset.filter(
        Q(search_vector=search)
        | Q(region__search_vector=search)
        | Q(pk__in=in_activities.values("focus_area_id"))
    )


# --- /sok/ ---------------------------------------------------------------------------------------


@dataclass
class Hit:
    title: str
    url: str
    region: object = None
    snippet: str = ""

    @classmethod
    def for_region(cls, region, snippet=""):
        return cls(region.name, region.get_absolute_url(), snippet=snippet)

    @classmethod
    def for_focus_area(cls, focus_area, snippet=""):
        return cls(focus_area.title, focus_area.get_absolute_url(), focus_area.region, snippet)

    @classmethod
    def for_activity(cls, activity, snippet=""):
        """An activity leads to its insatsområde's page, where it is shown."""
        focus_area = activity.focus_area
        return cls(focus_area.title, focus_area.get_absolute_url(), focus_area.region, snippet)

    @classmethod
    def for_contact(cls, contact):
        return cls(
            contact.name,
            contact.region.get_absolute_url() + "#kontakter",
            contact.region,
            escape(contact.organisation),
        )


@dataclass
class Results:
    query: CleanQuery
    regions: list[Hit] = field(default_factory=list)
    focus_areas: list[Hit] = field(default_factory=list)
    activities: list[Hit] = field(default_factory=list)
    contacts: list[Hit] = field(default_factory=list)
    similar_only: bool = False  # nothing matched as written; these are near misses
    suggested_themes: list = field(default_factory=list)

    @property
    def groups(self):
        return [
            (_("Regioner"), self.regions),
            (_("Insatsområden"), self.focus_areas),
            (_("Aktiviteter"), self.activities),
            (_("Kontaktpersoner"), self.contacts),
        ]

    @property
    def count(self) -> int:
        return sum(len(hits) for _, hits in self.groups)


def highlighted(text: str) -> str:
    """A headline from PostgreSQL, escaped, with its match markers turned into <mark>."""
    safe = escape(text or "")
    return mark_safe(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _highlight_words(text: str, words: list[str], length: int = 220) -> str:
    """SQLite's snippet: the text around the first match, escaped, with the query's words marked."""
    text = text or ""
    lower = text.lower()
    positions = [lower.find(word.lower()) for word in words if lower.find(word.lower()) >= 0]
    start = max(0, min(positions) - 60) if positions else 0
    excerpt = (
        ("…" if start else "") + text[start : start + length] + ("…" if len(text) > start + length else "")
    )
    safe = escape(excerpt)
    for word in sorted(set(words), key=len, reverse=True):
        safe = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", safe, flags=re.IGNORECASE)
    return mark_safe(safe)


def _headline(expression, search):
    return SearchHeadline(
        expression,
        search,
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=35,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def search(raw_text: str | None) -> Results:
    query = clean_query(raw_text)
    results = Results(query=query)
    if not query.usable:
        return results
    if uses_postgres():
        _search_postgres(results)
        if not results.count:
            _similar_postgres(results)
    else:
        _search_sqlite(results)
    if not results.count:
        results.suggested_themes = _suggest_themes(query)
    return results


def _search_postgres(results: Results) -> None:
    search = tsquery(results.query)
    regions = (
        Region.objects.filter(search_vector=search)
        .defer("search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .annotate(snippet=_headline("introduction", search))
        .order_by("-rank", "short_name")[:RESULTS_PER_KIND]
    )
    results.regions = [Hit.for_region(r, highlighted(r.snippet)) for r in regions]
    focus_areas = (
        FocusArea.objects.published()
        .filter(search_vector=search)
        .defer("search_vector", "region__search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .annotate(snippet=_headline(Concat("summary", Value(" "), "body", output_field=TextField()), search))
        .select_related("region")
        .order_by("-rank", "title")[:RESULTS_PER_KIND]
    )
    results.focus_areas = [Hit.for_focus_area(fa, highlighted(fa.snippet)) for fa in focus_areas]
    activities = (
        Activity.objects.filter(focus_area__status="published", search_vector=search)
        .defer("search_vector", "focus_area__search_vector", "focus_area__region__search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .annotate(snippet=_headline(Concat("title", Value(" "), "body", output_field=TextField()), search))
        .select_related("focus_area__region")
        .order_by("-rank", "focus_area__title")[:RESULTS_PER_KIND]
    )
    results.activities = [Hit.for_activity(a, highlighted(a.snippet)) for a in activities]
    contacts = (
        Contact.objects.public()
        .filter(search_vector=search)
        .defer("search_vector", "region__search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .select_related("region")
        .order_by("-rank", "name")[:RESULTS_PER_KIND]
    )
    results.contacts = [Hit.for_contact(c) for c in contacts]


def _similar_postgres(results: Results) -> None:
    """Nothing matched as written: show titles and names that are close to it (typos, missing å/ä/ö)."""
    query = results.query

    def similarity(field_name):
        return TrigramWordSimilarity(strip_accents(query.text), _unaccent(field_name))

    regions = (
        Region.objects.filter(_similar("name", query))
        .defer("search_vector")
        .annotate(similarity=similarity("name"))
        .order_by("-similarity")[:5]
    )
    results.regions = [Hit.for_region(r) for r in regions]
    focus_areas = (
        FocusArea.objects.published()
        .filter(_similar("title", query))
        .defer("search_vector", "region__search_vector")
        .annotate(similarity=similarity("title"))
        .select_related("region")
        .order_by("-similarity", "title")[:RESULTS_PER_KIND]
    )
    results.focus_areas = [Hit.for_focus_area(fa, escape(_shorten(fa.summary))) for fa in focus_areas]
    activities = (
        Activity.objects.filter(focus_area__status="published")
        .exclude(title="")
        .filter(_similar("title", query))
        .defer("search_vector", "focus_area__search_vector", "focus_area__region__search_vector")
        .annotate(similarity=similarity("title"))
        .select_related("focus_area__region")
        .order_by("-similarity")[:RESULTS_PER_KIND]
    )
    results.activities = [Hit.for_activity(a, escape(a.title)) for a in activities]
    results.similar_only = bool(results.count)


def _unaccent(field_name):
    return Func(F(field_name), function="portal_unaccent")


def _shorten(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


def _search_sqlite(results: Results) -> None:
    words = results.query.words
    regions = Region.objects.filter(_containment(["name", "introduction"], words))[:RESULTS_PER_KIND]
    results.regions = [Hit.for_region(r, _highlight_words(r.introduction, words)) for r in regions]
    focus_areas = (
        FocusArea.objects.published()
        .filter(_containment(["title", "summary", "body"], words))
        .select_related("region")
        .order_by("title")[: RESULTS_PER_KIND * 2]
    )
    # A title match above a text match, as on PostgreSQL.
    ordered = sorted(focus_areas, key=lambda fa: not all(w.lower() in fa.title.lower() for w in words))
    ordered = ordered[:RESULTS_PER_KIND]
    results.focus_areas = [
        Hit.for_focus_area(fa, _highlight_words(f"{fa.summary} {fa.body}", words)) for fa in ordered
    ]
    activities = (
        Activity.objects.filter(focus_area__status="published")
        .filter(_containment(["title", "body"], words))
        .select_related("focus_area__region")[:RESULTS_PER_KIND]
    )
    results.activities = [
        Hit.for_activity(a, _highlight_words(f"{a.title} {a.body}".strip(), words)) for a in activities
    ]
    contacts = (
        Contact.objects.public()
        .filter(_containment(["name", "organisation", "role"], words))
        .select_related("region")[:RESULTS_PER_KIND]
    )
    results.contacts = [Hit.for_contact(c) for c in contacts]


def _suggest_themes(query: CleanQuery) -> list:
    """Themes to offer when nothing matched: the closest by name on PostgreSQL, else all of them."""
    themes = Theme.objects.all()
    if uses_postgres():
        themes = themes.annotate(
            similarity=TrigramWordSimilarity(strip_accents(query.text), _unaccent("name"))
        ).order_by("-similarity", "name")
    return list(themes[:6])
