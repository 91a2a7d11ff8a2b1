"""Search across the catalogue: the /sok/ page and the `q` filter of /insatsomraden/ (and the API's).

The same on both databases, since the words are normalised in Python (words.py): Swedish stems, folded
forms for ASCII-typed Swedish and capitals, compound parts from a real Swedish word list, and the curated
synonyms (synonyms.py, fixtures/search/synonyms.toml). The documents are kept in one index table
(index.py) that PostgreSQL serves with a GIN-indexed tsvector and SQLite with FTS5 (database.py).

What a search does, in order, stopping at the first that finds something:
1. every word (or one of each OR), as written, with stems and synonyms (and the parts of the texts'
   own compounds, which the index holds);
2. a typed compound also as its parts, written apart ("landsbygdskontor": "kontor på landsbygden");
3. the words the index does not know corrected to the closest it does (typos), said as such;
4. any of the words, said as such ("no page has all the words").
Themes, mandatory areas and Agenda 2030 goals whose names match are offered first, as pages of their own;
the insatsområden tagged with them rank high among the rest.

The judged query set in fixtures/search/evaluation.toml measures it (evaluation.py, `make bench-search`).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import database
from . import words as w
from .query import Query, any_of, parse, split_compounds, word_unit
from .snippets import highlight, shorten

MAX_LENGTH = 200
MIN_LENGTH = 2
MAX_WORDS = 10
MAX_HITS = 50  # on /sok/: the best 50, PAGE_SIZE to a page; the list's q filter has them all
PAGE_SIZE = 20
BEST_BETS = 3
WORD = re.compile(r"[^\W_]+")
VOCABULARY = {"theme", "goal", "mandatory_area"}


@dataclass
class CleanQuery:
    text: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return WORD.findall(self.text)[:MAX_WORDS]

    @property
    def usable(self) -> bool:
        return any(len(word) >= MIN_LENGTH or word.isdigit() for word in self.words)


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
    if (text or (raw or "").strip()) and not result.usable:  # (only control characters: nothing is left)
        result.notices.append(_("Skriv minst två bokstäver eller siffror för att söka."))
    return result


def _parsed(text: str) -> Query:
    return parse(text, max_words=MAX_WORDS)


# --- Typos ----------------------------------------------------------------------------------------


def corrected(query: Query) -> tuple[Query, str]:
    """The query with each word the index does not know replaced by the closest words it does (typos),
    and the corrected text to show; (empty query, "") if no word needed it."""
    changed, shown = False, []
    for clause in query.clauses:
        for i, unit in enumerate(clause):
            # A word with synonyms is known, whatever the index holds.
            options = (
                database.corrections(unit.typed) if unit.correctable and len(unit.alternatives) < 3 else []
            )
            if options:
                changed = True
                replacement = word_unit(options[0][1])
                for _term, word in options[1:]:
                    replacement.alternatives += word_unit(word).alternatives
                clause[i] = replacement
                shown.append(options[0][1])
            else:
                shown.append(unit.typed)
    return (query, " ".join(shown)) if changed else (Query(), "")


# --- /sok/ ---------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    region: str = ""
    text: str = ""  # what the snippet is cut from
    wanted: object = None  # the words to mark (_word_matcher)
    focus_area_id: int | None = None
    region_id: int | None = None
    lang: str = "sv"  # of the title: a theme's or goal's English name on English pages

    @functools.cached_property
    def snippet(self) -> str:
        """Made when shown: a page of hits costs its snippets, not those of every hit."""
        if self.kind == "contact" or self.wanted is None:
            return shorten(self.text)
        return highlight(self.text, self.wanted)

    @property
    def kind_label(self) -> str:
        return {
            "region": _("Region"),
            "focus_area": _("Insatsområde"),
            "activity": _("Insatsområde"),
            "contact": _("Kontaktperson"),
            "theme": _("Tema"),
            "goal": _("Agenda 2030-mål"),
            "mandatory_area": _("Obligatoriskt område"),
        }[self.kind]


@dataclass
class Results:
    query: CleanQuery
    best_bets: list[Hit] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    some_words_only: bool = False  # no page has every word; these have some
    corrected_text: str = ""  # nothing matched as written; these are for the corrected words
    suggested_themes: list = field(default_factory=list)
    searched: bool = False  # False: nothing to search for (too short, only stop words)

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def capped(self) -> bool:
        return len(self.hits) >= MAX_HITS


def _localised(path: str) -> str:
    language = get_language() or settings.LANGUAGE_CODE
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def _word_matcher(query: Query):
    """Whether a (case-folded) word of a text is one the query found: asked once per distinct word."""
    exact, prefixes = set(), []
    for term in query.terms:
        (prefixes.extend if term.prefix else exact.update)(term.forms)
    prefixes = tuple(prefixes)
    known: dict[str, bool] = {}

    def wanted(word: str) -> bool:
        found = known.get(word)
        if found is None:
            tokens = w.index_tokens(word)
            found = any(x in exact or x.startswith(prefixes) for x in tokens)
            known[word] = found = found and not w.is_stopword(word)
        return found

    return wanted


def _title_matches(row, query: Query) -> bool:
    """Every clause matched by the document's title alone: a vocabulary page that is what was asked."""
    title_terms = row.title_terms.split()
    return all(
        any(
            all(any(t.matches(x) for x in title_terms) for t in alternative.terms)
            for unit in clause
            for alternative in unit.alternatives
        )
        for clause in query.clauses
    )


def _hits(rows, query: Query, results: Results) -> None:
    wanted = _word_matcher(query)
    seen, vocabulary = set(), []
    english = (get_language() or settings.LANGUAGE_CODE) == "en"
    excluded = set(database.focus_area_ids(Query([query.excluded]))) if query.excluded else set()
    for row in rows:
        if row.kind in VOCABULARY:
            title, lang = (row.title_en, "en") if english and row.title_en else (row.title, "sv")
            if len(results.best_bets) < BEST_BETS and _title_matches(row, query):
                results.best_bets.append(Hit(row.kind, title, _localised(row.path), lang=lang))
            elif len(vocabulary) < BEST_BETS:  # matched in its description: after the rest
                hit = Hit(row.kind, title, _localised(row.path), "", row.text, wanted, lang=lang)
                vocabulary.append(hit)
            continue
        if row.focus_area_id in excluded:  # "-word" excludes the page, where it stands on any part
            continue
        # An insatsområde once, where it or its best-matching activity ranks.
        key = ("focus_area", row.focus_area_id) if row.focus_area_id else (row.kind, row.object_id)
        if key in seen or len(results.hits) == MAX_HITS:
            continue
        seen.add(key)
        region = row.region_name if row.kind != "region" else ""
        results.hits.append(
            Hit(
                row.kind, row.title, _localised(row.path), region, row.text, wanted,
                row.focus_area_id, row.region_id,
            )
        )  # fmt: skip
    results.hits += vocabulary[: max(0, MAX_HITS - len(results.hits))]


def search(raw_text: str | None) -> Results:
    query = clean_query(raw_text)
    results = Results(query=query)
    if not query.usable:
        return results
    parsed = _parsed(query.text)
    if parsed.only_excludes:
        query.notices.append(_("Skriv också vad du söker efter: minus utesluter ord ur en sökning."))
        return results
    if not parsed:
        query.notices.append(_("Orden är för vanliga för att söka på. Lägg till ett mer bestämt ord."))
        return results
    results.searched = True
    # Twice a page of documents: activities fold into their insatsområden.
    limit = MAX_HITS * 2
    rows = database.ranked(parsed, limit)
    if not rows:  # a compound the texts write as words ("landsbygdskontor": "kontor på landsbygden")?
        split = split_compounds(_parsed(query.text))
        rows = database.ranked(split, limit)
        if rows:
            parsed = split
    fixed, text = Query(), ""
    if not rows:  # a typo? Words the index does not know, corrected.
        fixed, text = corrected(_parsed(query.text))
        rows = database.ranked(fixed, limit)
        if rows:
            results.corrected_text, parsed = text, fixed
    if not rows:  # no page has every word: pages with some of them
        fallback = any_of(fixed or parsed)
        rows = database.ranked(fallback, limit)
        if rows:
            results.some_words_only, results.corrected_text, parsed = True, text, fallback
    _hits(rows, parsed, results)
    if not results.hits and not results.best_bets:
        from initiatives.models import Theme

        results.suggested_themes = list(Theme.objects.all()[:6])
    return results


# --- The list's q filter ---------------------------------------------------------------------------


def matching_focus_area_ids(raw_text: str) -> list[int] | None:
    """The published insatsområden the text finds (itself or in an activity): every word, or, if that
    finds nothing, compounds split and then words corrected as on /sok/ (but never "any of the words":
    a filter narrows). One query, more on a fallback. None if the text
    has nothing to search for (too short, only stop words): then it filters nothing."""
    query = clean_query(raw_text)
    parsed = _parsed(query.text) if query.usable else Query()
    if parsed.only_excludes:  # "-besöksnäring": every insatsområde but those
        from initiatives.models import FocusArea

        excluded = set(database.focus_area_ids(Query([parsed.excluded])))
        return [pk for pk in FocusArea.objects.published().values_list("pk", flat=True) if pk not in excluded]
    if not parsed:
        return None
    ids = database.focus_area_ids(parsed)
    if not ids:
        ids = database.focus_area_ids(split_compounds(_parsed(query.text)))
    if not ids:
        fixed, _text = corrected(_parsed(query.text))
        ids = database.focus_area_ids(fixed)
    return ids
