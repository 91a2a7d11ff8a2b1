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


# --- Snippets -------------------------------------------------------------------------------------
# A snippet starts and ends at a word boundary, says "…" where text was left out, and marks whole words:
# the word that contains a match ("besöksnäringen" for "besöksnäring", "EU:s" for "EU"), never part of one.
# Both databases end in `_render`, which escapes every piece of content itself.

# A word, with the joiners Swedish puts inside one: hyphenated compounds, "EU:s", "RUS:en", "10:30".
WORD_SPAN = re.compile(r"[^\W_]+(?:[-\u2010\u2011'\u2019:][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
ELLIPSIS = "…"
# Left out next to an ellipsis: a cut after "ord," reads "ord …", not "ord, …".
DANGLING_START = " ,.;:!?)]}»”–—-"
DANGLING_END = " ,;:([{«“–—-"
SNIPPET_LENGTH = 220  # characters, about three lines on a phone (SQLite and the near-miss summaries)
CONTEXT_BEFORE = 60  # characters before the first match, where the text allows
SHORT_WORD = 3  # a snippet neither starts (mid-sentence) nor ends on a word this short, where it can help it
FRAGMENT_DELIMITER = "\x04"  # between ts_headline's fragments; replaced by " … "


# Bidirectional embeddings and overrides: a snippet may cut off the character that ends one, which would
# then turn the rest of the paragraph around ("…" included).
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _plain(text: str | None) -> str:
    """Text as a snippet shows it: no control characters, every run of white space one space."""
    text = "".join(
        " " if unicodedata.category(c) == "Cc" else c for c in (text or "") if c not in BIDI_CONTROLS
    )
    return re.sub(r"\s+", " ", text).strip()


def _whole_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans widened to the words they touch, merged where they meet."""
    if not spans:
        return []
    words = [m.span() for m in WORD_SPAN.finditer(text)]
    widened = []
    for start, end in spans:
        for word_start, word_end in words:
            if word_start < end and start < word_end:
                start, end = min(start, word_start), max(end, word_end)
        widened.append((start, end))
    merged = []
    for start, end in sorted(widened):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans, start: int, end: int, *, lead: bool, trail: bool) -> str:
    """text[start:end], escaped, with the spans in <mark> and "…" on a side where text was left out."""
    if lead:
        while start < end and text[start] in DANGLING_START:
            start += 1
    if trail:
        while end > start and text[end - 1] in DANGLING_END:
            end -= 1
    parts = [ELLIPSIS + " "] if lead else []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts += [escape(text[position:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        position = span_end
    parts.append(escape(text[position:end]))
    if trail:
        parts.append(" " + ELLIPSIS)
    return "".join(parts)


def _matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the query's words occur, as SQLite's containment found them: anywhere in a word (Swedish
    compounds: "näring" in "besöksnäringen"); a two-letter word only at a word's start, or "en" would
    light up half the text."""
    spans = []
    for word in {w.lower() for w in words if len(w) >= MIN_LENGTH}:
        boundary = r"(?<![^\W_])" if len(word) <= MIN_LENGTH else ""
        spans += [m.span() for m in re.finditer(boundary + re.escape(word), text, re.IGNORECASE)]
    return _whole_words(text, spans)


def _highlight_words(text: str, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """SQLite's snippet: the text around the first match, cut at words, with the matching words marked."""
    text = _plain(text)
    spans = _matches(text, words)
    start, end = 0, len(text)
    if len(text) > length:
        first = spans[0] if spans else (0, 0)
        # Some context before the match, more when the match is near the end and the text allows.
        earliest = max(0, min(first[0] - CONTEXT_BEFORE, len(text) - length))
        if earliest:
            # From a sentence's start if one begins there, else from the first whole word that is not a
            # short one ("en", "och", as ShortWord on PostgreSQL), never from the tail of a word.
            sentence = SENTENCE_END.search(text, earliest, first[0])
            earliest = sentence.end() if sentence else earliest
            words = [m.span() for m in WORD_SPAN.finditer(text, 0, first[0])]
            words = [(s, e) for s, e in words if s >= earliest]
            long_words = [s for s, e in words if e - s > SHORT_WORD] if not sentence else []
            start = (long_words or [s for s, _ in words] or [first[0]])[0]
        end = _cut_end(text, start, max(start + length, first[1]))
    return mark_safe(_render(text, spans, start, end, lead=start > 0, trail=end < len(text)))


def _cut_end(text: str, start: int, limit: int) -> int:
    """Where to end a snippet that may run to `limit`: after a sentence in its last part, else after the
    last whole word."""
    if limit >= len(text):
        return len(text)
    sentence_ends = [m.end() for m in SENTENCE_END.finditer(text, start + (limit - start) * 3 // 4, limit)]
    if sentence_ends:
        return sentence_ends[-1]
    words = [m.span() for m in WORD_SPAN.finditer(text, start, limit + 1) if m.end() <= limit]
    if not words:
        return limit  # one word longer than a snippet is cut where it must be
    # Not on a short word ("… som har allt att …"), as ShortWord on PostgreSQL, if a longer one is near.
    near = [e for s, e in words[-4:] if e - s > SHORT_WORD]
    return near[-1] if near else words[-1][1]


def _shorten(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The start of a text, ended at a word, with "…" if there is more. Plain text: escape it to show it."""
    text = _plain(text)
    if len(text) <= length:
        return text
    end = _cut_end(text, 0, length)
    while end and text[end - 1] in DANGLING_END:
        end -= 1
    return f"{text[:end]} {ELLIPSIS}"


def _parse_headline(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """One fragment of a ts_headline as plain text (as `_plain` makes it) and the spans it marked."""
    out, spans, opened = [], [], None
    for c in fragment:
        if c == MARK_START:
            opened = len(out) if opened is None else opened
        elif c == MARK_END:
            if opened is not None:
                spans.append((opened, len(out)))
            opened = None
        elif c in BIDI_CONTROLS:
            continue
        elif unicodedata.category(c) == "Cc" or c.isspace():
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(c)
    text = "".join(out)
    stripped = text.rstrip()
    return stripped, [(s, min(e, len(stripped))) for s, e in spans if s < len(stripped)]


def highlighted(headline: str | None, document: str | None) -> str:
    """A headline from PostgreSQL as a snippet: its marks widened to whole words, escaped, with "…" where
    the document (the text the headline was made from) goes on before or after, and between fragments."""
    document = _plain(document)
    fragments = [_parse_headline(part) for part in (headline or "").split(FRAGMENT_DELIMITER)]
    fragments = [(text, spans) for text, spans in fragments if text]
    rendered = []
    for i, (text, spans) in enumerate(fragments):
        lead = i > 0 or not document.startswith(text)
        trail = i == len(fragments) - 1 and not document.endswith(text)
        rendered.append(_render(text, _whole_words(text, spans), 0, len(text), lead=lead, trail=trail))
    return mark_safe(" ".join(rendered))


def _headline(expression, search):
    """ts_headline in fragment mode: up to two passages of whole words around the matches. ShortWord=3
    keeps a passage from starting or ending on "en", "och", "att", "för" (unless it is a query word).
    PostgreSQL puts no "…" at a passage's edges; `highlighted` does."""
    return SearchHeadline(
        expression,
        search,
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_words=18,
        min_words=10,
        short_word=SHORT_WORD,
        max_fragments=2,
        fragment_delimiter=FRAGMENT_DELIMITER,
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
    results.regions = [Hit.for_region(r, highlighted(r.snippet, r.introduction)) for r in regions]
    focus_areas = (
        FocusArea.objects.published()
        .filter(search_vector=search)
        .defer("search_vector", "region__search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .annotate(snippet=_headline(Concat("summary", Value(" "), "body", output_field=TextField()), search))
        .select_related("region")
        .order_by("-rank", "title")[:RESULTS_PER_KIND]
    )
    results.focus_areas = [
        Hit.for_focus_area(fa, highlighted(fa.snippet, f"{fa.summary} {fa.body}")) for fa in focus_areas
    ]
    activities = (
        Activity.objects.filter(focus_area__status="published", search_vector=search)
        .defer("search_vector", "focus_area__search_vector", "focus_area__region__search_vector")
        .annotate(rank=SearchRank(F("search_vector"), search))
        .annotate(snippet=_headline(Concat("title", Value(" "), "body", output_field=TextField()), search))
        .select_related("focus_area__region")
        .order_by("-rank", "focus_area__title")[:RESULTS_PER_KIND]
    )
    results.activities = [
        Hit.for_activity(a, highlighted(a.snippet, f"{a.title} {a.body}")) for a in activities
    ]
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
