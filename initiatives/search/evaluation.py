"""How well /sok/ answers the judged query set in fixtures/search/evaluation.toml (how it was judged is in
its header). Used by tests/test_search_quality.py, which fails below the goals, and `make bench-search`.

For each query, the ranked list is what /sok/ shows under the theme and goal pages it offers first:
regions and insatsområden (an activity stands for its insatsområde, a contact for the region whose page it
is on). A query is answered when a relevant item is among the first five; recall is the share of its
relevant items anywhere in the list (at most 50); precision, the share of the first five that is relevant,
says what the recall costs. Queries judged to have no answer ("none") are reported apart.
"""

import statistics
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

EVALUATION_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "search" / "evaluation.toml"
TOP = 5

# The goals of issue 18, per database.
GOALS = {
    "postgresql": {"answered": 0.95, "recall": 0.85},
    "sqlite": {"answered": 0.85, "recall": 0.0},
}


@dataclass
class Judged:
    text: str
    kind: str
    relevant: list[str]
    why: str = ""


@dataclass
class Outcome:
    query: Judged
    ranked: list[str]
    milliseconds: float

    @property
    def answered(self) -> bool:
        return any(item in self.query.relevant for item in self.ranked[:TOP])

    @property
    def recall(self) -> float:
        found = set(self.ranked) & set(self.query.relevant)
        return len(found) / len(self.query.relevant)

    @property
    def precision(self) -> float:
        """The share of the first five that is relevant (of fewer, if fewer were found)."""
        top = self.ranked[:TOP]
        return sum(item in self.query.relevant for item in top) / len(top) if top else 0.0

    @property
    def empty(self) -> bool:
        return not self.ranked


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def judged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.query.relevant]

    @property
    def answered(self) -> float:
        return sum(o.answered for o in self.judged) / len(self.judged)

    @property
    def recall(self) -> float:
        return statistics.mean(o.recall for o in self.judged)

    @property
    def precision(self) -> float:
        return statistics.mean(o.precision for o in self.judged)

    @property
    def empty(self) -> list[Outcome]:
        return [o for o in self.judged if o.empty]

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.judged if not o.answered]

    @property
    def unanswerable_with_hits(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.query.relevant and o.ranked]

    def by_kind(self) -> dict[str, tuple[float, float, int]]:
        kinds = {}
        for outcome in self.judged:
            kinds.setdefault(outcome.query.kind, []).append(outcome)
        return {
            kind: (
                sum(o.answered for o in items) / len(items),
                statistics.mean(o.recall for o in items),
                len(items),
            )
            for kind, items in sorted(kinds.items())
        }

    def latency(self, fraction: float) -> float:
        ordered = sorted(o.milliseconds for o in self.outcomes)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def judged_queries(path: Path = EVALUATION_FILE) -> list[Judged]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    return [Judged(q["text"], q["class"], list(q["relevant"]), q.get("why", "")) for q in data["query"]]


def _keys():
    from initiatives.models import FocusArea
    from regions.models import Region

    regions = dict(Region.objects.values_list("pk", "slug"))
    focus_areas = {
        pk: f"{regions[r]}/{slug}" for pk, r, slug in FocusArea.objects.values_list("pk", "region", "slug")
    }
    return regions, focus_areas


def ranked_items(results, regions, focus_areas) -> list[str]:
    items = []
    for hit in results.hits:
        if hit.focus_area_id:
            item = focus_areas[hit.focus_area_id]
        elif hit.region_id:
            item = f"region:{regions[hit.region_id]}"
        else:
            continue
        if item not in items:
            items.append(item)
    return items


def evaluate(queries: list[Judged] | None = None) -> Report:
    from . import search

    regions, focus_areas = _keys()
    report = Report()
    for query in queries or judged_queries():
        started = time.perf_counter()
        results = search(query.text)
        milliseconds = (time.perf_counter() - started) * 1000
        report.outcomes.append(Outcome(query, ranked_items(results, regions, focus_areas), milliseconds))
    return report


def summary(report: Report, vendor: str) -> str:
    lines = [
        f"{vendor}: {len(report.judged)} judged queries "
        f"(+{len(report.outcomes) - len(report.judged)} with no answer in the catalogue)",
        f"  answered in top {TOP}: {report.answered:.0%}   recall: {report.recall:.0%}   "
        f"precision in top {TOP}: {report.precision:.0%}   "
        f"empty where there is an answer: {len(report.empty)}   "
        f"no-answer queries with hits: {len(report.unanswerable_with_hits)}",
        f"  search() latency: p50 {report.latency(0.5):.1f} ms, p95 {report.latency(0.95):.1f} ms",
        "  by class: " + ", ".join(f"{k} {a:.0%}/{r:.0%} ({n})" for k, (a, r, n) in report.by_kind().items()),
    ]
    for outcome in report.misses:
        lines.append(f"  miss: {outcome.query.text!r} ({outcome.query.kind}) → {outcome.ranked[:TOP]}")
    return "\n".join(lines)
