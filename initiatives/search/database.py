"""Running a parsed query on the database in use: one SQL statement each, the same tree on both.

- SQLite: the FTS5 table over the documents, ranked by bm25 with column weights.
- PostgreSQL: the documents' tsvector (GIN index), ranked by ts_rank with weights A–D.

A kind's weight is multiplied in: an activity is a passage of an insatsområde's page, so it ranks below a
page that matches as well.
"""

import difflib
from dataclasses import dataclass

from django.db import connection

from . import words as w
from .query import PREFIX_MIN, Query, fts5, tsquery

# bm25 column weights (title, tags, body, other) and ts_rank's weights {D, C, B, A}: the same proportions.
COLUMN_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
KIND_WEIGHTS = {"activity": 0.6, "contact": 0.9}
CANDIDATES = 100
DOCUMENT = "initiatives_searchdocument"
FTS = "initiatives_searchfts"
COLUMNS = (
    "d.id, d.kind, d.object_id, d.region_id, d.focus_area_id, d.title, d.title_en, d.path, d.text, "
    "d.title_terms, r.name"
)


@dataclass
class Row:
    id: int
    kind: str
    object_id: int
    region_id: int | None
    focus_area_id: int | None
    title: str
    title_en: str
    path: str
    text: str
    title_terms: str
    region_name: str | None
    score: float


def _kind_weight() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_WEIGHTS.items())
    return f"CASE d.kind {cases} ELSE 1.0 END"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def ranked(query: Query, limit: int) -> list[Row]:
    """The best `limit` documents for the query, best first."""
    if not query:
        return []
    if _postgres():
        d, c, b, a = reversed(COLUMN_WEIGHTS)
        total = sum(COLUMN_WEIGHTS)
        weights = "{" + ", ".join(f"{x / total:.3f}" for x in (d, c, b, a)) + "}"
        # Ranked: every title or tag match up to CANDIDATES, and as many matches in the text. Beyond that
        # (a common word in a catalogue many times today's) the text matches ranked are the first the
        # index gives, so that a search costs the same however much matches.
        # The constant query is written into each part, not shared in a CTE, so that the planner sees
        # it: with it, the title and tag part uses its index (measured at 100x: 7 ms instead of 18).
        match = "to_tsquery('simple', %s)"
        sql = (
            f"SELECT {COLUMNS}, "
            f"ts_rank('{weights}'::float4[], d.vector, {match}, 1) * {_kind_weight()} AS score "
            f"FROM ((SELECT id FROM {DOCUMENT} WHERE head @@ {match} LIMIT {CANDIDATES}) UNION "
            f"(SELECT id FROM {DOCUMENT} WHERE vector @@ {match} LIMIT {CANDIDATES})) candidates "
            f"JOIN {DOCUMENT} d USING (id) LEFT JOIN regions_region r ON r.id = d.region_id "
            f"ORDER BY score DESC, d.title LIMIT %s"
        )
        params = [tsquery(query)] * 3 + [limit]
    else:
        bm25 = f"bm25({FTS}, {', '.join(str(x) for x in COLUMN_WEIGHTS)})"
        sql = (
            f"SELECT {COLUMNS}, -{bm25} * {_kind_weight()} AS score "
            f"FROM {FTS} JOIN {DOCUMENT} d ON d.id = {FTS}.rowid "
            f"LEFT JOIN regions_region r ON r.id = d.region_id "
            f"WHERE {FTS} MATCH %s ORDER BY score DESC, d.title LIMIT %s"
        )
        params = [fts5(query), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Row(*values) for values in cursor.fetchall()]


def focus_area_ids(query: Query) -> list[int]:
    """Every insatsområde whose page the query matches (itself or one of its activities); unranked."""
    if not query:
        return []
    if _postgres():
        sql = (
            f"SELECT DISTINCT focus_area_id FROM {DOCUMENT} "
            f"WHERE vector @@ to_tsquery('simple', %s) AND focus_area_id IS NOT NULL"
        )
        params = [tsquery(query)]
    else:
        sql = (
            f"SELECT DISTINCT d.focus_area_id FROM {FTS} JOIN {DOCUMENT} d ON d.id = {FTS}.rowid "
            f"WHERE {FTS} MATCH %s AND d.focus_area_id IS NOT NULL"
        )
        params = [fts5(query)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


CORRECTION_CUTOFF = 0.8


def corrections(word: str, count: int = 2) -> list[tuple[str, str]]:
    """For a typed (case-folded) word the index does not know, the closest indexed terms: (term, a word
    it came from). [] for a word it knows, as a stem or, if long enough, a prefix of one.

    Candidates share the first letter and are at most two letters longer or shorter; the closest by
    difflib's ratio, at least CORRECTION_CUTOFF. Typos in the first letter are not corrected."""
    from initiatives.models import SearchTerm

    folded = w.fold(w.stem(word))
    if len(folded) < 4 or not folded.isalpha():
        return []
    known = {"term__startswith" if len(folded) >= PREFIX_MIN else "term": folded}
    if SearchTerm.objects.filter(**known).exists():
        return []
    candidates = dict(
        SearchTerm.objects.filter(
            term__startswith=folded[0], length__gte=len(folded) - 2, length__lte=len(folded) + 2
        ).values_list("term", "word")
    )
    scored = []
    matcher = difflib.SequenceMatcher(b=folded)
    for term, example in candidates.items():
        matcher.set_seq1(term)
        if matcher.real_quick_ratio() >= CORRECTION_CUTOFF and matcher.quick_ratio() >= CORRECTION_CUTOFF:
            ratio = matcher.ratio()
            if ratio >= CORRECTION_CUTOFF:
                # The closest; of two as close, the one from the shorter word (a base form: "cirkulär"
                # rather than "cirkuleras").
                scored.append((-round(ratio, 2), len(example), term, example))
    return [(term, example) for _r, _l, term, example in sorted(scored)[:count]]
