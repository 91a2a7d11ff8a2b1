"""The comparison page (/jamfor/): who works on what, and up to three regions side by side.

Query parameters: `region` (repeated, at most COMPARE_MAX are compared) and `sortera` (a theme's slug,
`totalt` or `region`; these two words win over a theme that had them as its slug). Whatever a visitor
types, the page renders: an unknown region or sort order is named in a notice and otherwise ignored.

Queries, whatever the size of the catalogue: regions with their published counts, themes, and the
region × theme counts; with regions chosen, their mandatory areas and the first CELL_MAX insatsområden of
each region and theme (ranked in the database, so a big region's side is bounded; the rest are one link
away, in the list filtered by region and theme). Everything else (totals, sorting, shared and unique
themes) is worked out here, in Python, from those counts: 21 regions and a few dozen themes.
"""

from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict
from django.urls import reverse

from initiatives.catalogue_counts import region_theme_counts, with_counts
from initiatives.filters import printable
from initiatives.models import FocusArea, MandatoryArea, Status, Theme
from initiatives.vocabulary import english_wanted

from .models import Region, swedish_order

COMPARE_MAX = 3
SORT = "sortera"
BY_REGION = "region"  # the default: Swedish alphabetical order, as everywhere else on the site
BY_TOTAL = "totalt"
# Where a sort link lands: the matrix (which a side-by-side comparison puts further down the page), or
# the column it sorts by, which the browser then scrolls into view inside the matrix's scroll box.
MATRIX_ANCHOR = "matris"
# Counts from this one up share the darkest shade (the legend says "3 or more").
TOP_SHADE = 3


def column_anchor(sort: str) -> str:
    """The id of a column's header: where the link that sorts by it lands."""
    return f"kolumn-{sort}"


@dataclass
class Cell:
    theme: Theme
    count: int

    @property
    def shade(self) -> int:
        """0, 1, 2 or TOP_SHADE: the colour step the count is shown in (its CSS class count-N)."""
        return min(self.count, TOP_SHADE)


@dataclass
class Row:
    region: Region
    cells: list[Cell]
    chosen: bool

    @property
    def total(self) -> int:
        """The region's published insatsområden, each once: one with two themes is not counted twice, so
        this can be less than the sum of the row."""
        return self.region.focus_area_count


@dataclass
class Column:
    """A theme's column: its sort link and, for the footer, its totals."""

    theme: Theme
    anchor: str
    sort_url: str
    focus_area_count: int
    region_count: int


@dataclass
class Matrix:
    counts: dict[tuple[int, int], int]  # (region id, theme id): published insatsområden
    rows: list[Row]
    columns: list[Column]
    sort: str  # BY_REGION, BY_TOTAL or a theme's slug
    sort_theme: Theme | None
    region_sort_url: str
    total_sort_url: str
    total_anchor: str = column_anchor(BY_TOTAL)

    @property
    def focus_area_count(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def active_region_count(self) -> int:
        """Regions with at least one published insatsområde: the footer's figure under "Totalt"."""
        return sum(1 for row in self.rows if row.total)


@dataclass
class Side:
    """One chosen region in the side-by-side view, with what its summary rows show."""

    region: Region  # with focus_area_count: its published insatsområden
    remove_url: str
    # the mandatory areas that its insatsområden describe, each once, in their numbered order
    mandatory_areas: list[MandatoryArea] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    only_here: list[Theme] = field(default_factory=list)


# A side-by-side cell lists this many of its insatsområden, in the region's order, and links to the list
# filtered by its region and theme for the rest (at 100 times today's data a cell held about a hundred).
CELL_MAX = 10


class Listed(NamedTuple):
    title: str
    url: str


@dataclass
class SideCell:
    """A region's insatsområden with one theme: the first CELL_MAX, how many there are, and (when there are
    more) the filtered list's address."""

    side: Side
    focus_areas: list[Listed]
    count: int
    all_url: str


@dataclass
class SideBySide:
    sides: list[Side]
    shared: list[Theme]  # the themes every chosen region works on (with two or more chosen)
    # with three chosen: the themes two of them work on, with those two (neither shared nor "only here")
    partly_shared: list[tuple[Theme, list[Region]]]
    # (theme, [a cell for each chosen region]), for the themes any of them works on
    rows: list[tuple[Theme, list[SideCell]]]

    @property
    def compares(self) -> bool:
        """Two or more regions: only then are "shared" and "only here" meaningful."""
        return len(self.sides) > 1


@dataclass
class Comparison:
    regions: list[Region]  # in alphabetical order, for the picker
    matrix: Matrix
    chosen: list[Region]
    side_by_side: SideBySide | None
    unknown: list[str]  # requested region slugs that name no region (as typed, made printable)
    too_many: bool
    bad_sort: str  # a sort value that names no column, as typed (made printable); "" if none
    keep_sort: str  # the sort to carry in the picker's form ("" for the default)
    clear_url: str
    compare_max: int = COMPARE_MAX


def build(request, query: QueryDict) -> Comparison:
    """Everything the page shows for these query parameters (the site's own, portal.page_cache)."""
    # The counts are kept per catalogue version (initiatives/catalogue_counts.py).
    regions = with_counts(request, list(Region.objects.alphabetical()))
    themes = _in_reading_order(list(Theme.objects.order_by(swedish_order("name"))))

    by_slug = {region.slug: region for region in regions}
    requested = list(dict.fromkeys(query.getlist("region")))
    unknown = [printable(slug) for slug in requested if slug not in by_slug]
    chosen = [by_slug[slug] for slug in requested if slug in by_slug]
    too_many = len(chosen) > COMPARE_MAX
    chosen = chosen[:COMPARE_MAX]

    asked = query.get(SORT, "").strip()
    theme_slugs = {theme.slug for theme in themes}
    sort = asked if asked in theme_slugs | {BY_TOTAL, BY_REGION} else BY_REGION
    bad_sort = printable(asked) if asked and sort != asked else ""

    link = _Links(request.path, query)
    matrix = _matrix(link, regions, themes, chosen, sort, region_theme_counts(request))
    return Comparison(
        regions=regions,
        matrix=matrix,
        chosen=chosen,
        side_by_side=_side_by_side(link, chosen, themes, matrix.counts) if chosen else None,
        unknown=unknown,
        too_many=too_many,
        bad_sort=bad_sort,
        keep_sort="" if sort == BY_REGION else sort,
        clear_url=link.to(region=[]),
    )


def _in_reading_order(themes: list[Theme]) -> list[Theme]:
    """Alphabetical by the name the reader sees: on English pages the English names are sorted, so that
    the columns are in an order an English reader can scan (the database sorts the Swedish names)."""
    if not english_wanted():
        return themes
    return sorted(themes, key=lambda theme: theme.label.casefold())


def _matrix(link, regions, themes, chosen, sort, counts) -> Matrix:
    rows = [
        Row(
            region=region,
            cells=[Cell(theme, counts.get((region.pk, theme.pk), 0)) for theme in themes],
            chosen=region in chosen,
        )
        for region in regions
    ]
    columns = [
        Column(
            theme=theme,
            anchor=column_anchor(theme.slug),
            sort_url=link.sorted(theme.slug),
            focus_area_count=sum(row.cells[i].count for row in rows),
            region_count=sum(1 for row in rows if row.cells[i].count),
        )
        for i, theme in enumerate(themes)
    ]
    return Matrix(
        counts=counts,
        rows=_sorted(rows, themes, sort),
        columns=columns,
        sort=sort,
        sort_theme=next((theme for theme in themes if theme.slug == sort), None),
        region_sort_url=link.sorted(BY_REGION),
        total_sort_url=link.sorted(BY_TOTAL),
    )


def _sorted(rows: list[Row], themes: list[Theme], sort: str) -> list[Row]:
    """Most first by the chosen column; ties keep the alphabetical order the rows come in."""
    if sort == BY_REGION:
        return rows
    if sort == BY_TOTAL:
        return sorted(rows, key=lambda row: -row.total)
    index = next(i for i, theme in enumerate(themes) if theme.slug == sort)
    return sorted(rows, key=lambda row: -row.cells[index].count)


def _side_by_side(link, chosen: list[Region], themes: list[Theme], counts: dict) -> SideBySide:
    """The chosen regions side by side. `counts` is the matrix's {(region id, theme id): insatsområden}, so
    what grows with the catalogue is never loaded whole: each cell's first CELL_MAX insatsområden (one
    query, ranked in the database), and each region's mandatory areas (one query)."""
    sides = {region.pk: Side(region, link.without_region(region.slug)) for region in chosen}
    for area in (
        MandatoryArea.objects.filter(focus_areas__status=Status.PUBLISHED, focus_areas__region__in=chosen)
        .annotate(side=F("focus_areas__region_id"))
        .order_by("number")
        .distinct()
    ):
        sides[area.side].mandatory_areas.append(area)
    for side in sides.values():
        side.themes = [theme for theme in themes if counts.get((side.region.pk, theme.pk))]

    ordered = list(sides.values())
    for side in ordered:
        elsewhere = {theme.pk for other in ordered if other is not side for theme in other.themes}
        side.only_here = [theme for theme in side.themes if theme.pk not in elsewhere]
    shared = [theme for theme in themes if all(theme in side.themes for side in ordered)]
    partly_shared = [
        (theme, [side.region for side in having])
        for theme in themes
        if 1 < len(having := [side for side in ordered if theme in side.themes]) < len(ordered)
    ]

    first = _first_in_cells(chosen)
    list_url = reverse("focus_area_list")
    rows = [
        (
            theme,
            [
                SideCell(
                    side,
                    first.get((side.region.pk, theme.pk), []),
                    count := counts.get((side.region.pk, theme.pk), 0),
                    f"{list_url}?{urlencode({'region': side.region.slug, 'tema': theme.slug})}"
                    if count > CELL_MAX
                    else "",
                )
                for side in ordered
            ],
        )
        for theme in themes
    ]
    return SideBySide(
        sides=ordered,
        shared=shared if len(ordered) > 1 else [],
        partly_shared=partly_shared,
        rows=[(theme, cells) for theme, cells in rows if any(cell.count for cell in cells)],
    )


def _first_in_cells(chosen: list[Region]) -> dict:
    """{(region id, theme id): [Listed, …]}: the first CELL_MAX published insatsområden of each region with
    each theme, in the region's order (as on its page), numbered per cell by the database."""
    through = FocusArea.themes.through.objects.filter(
        focusarea__status=Status.PUBLISHED, focusarea__region__in=chosen
    )
    ranked = (
        through.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("focusarea__region_id"), F("theme_id")],
                order_by=[F("focusarea__order").asc(), F("focusarea__title").asc(), F("focusarea_id").asc()],
            )
        )
        .filter(rank__lte=CELL_MAX)
        .order_by("rank")
        .values_list(
            "focusarea__region_id",
            "theme_id",
            "focusarea__region__slug",
            "focusarea__slug",
            "focusarea__title",
        )
    )
    # One reverse() for all: every insatsområde's address has the same shape, …/<region>/<slug>/.
    shape = reverse("focus_area_detail", args=["r", "s"])
    assert shape.endswith("/r/s/"), shape
    prefix = shape.removesuffix("r/s/")
    cells = {}
    for region_id, theme_id, region_slug, slug, title in ranked:
        cells.setdefault((region_id, theme_id), []).append(Listed(title, f"{prefix}{region_slug}/{slug}/"))
    return cells


@dataclass
class _Links:
    """Links to this page with some parameters changed and the rest (regions, sort order) kept."""

    path: str
    query: QueryDict

    def to(self, **values) -> str:
        data = self.query.copy()
        for key, value in values.items():
            data.setlist(key, value)
            if not value:
                del data[key]  # an empty list would still leave a "?"
        return f"{self.path}?{data.urlencode()}" if data else self.path

    def without_region(self, slug: str) -> str:
        return self.to(region=[value for value in self.query.getlist("region") if value != slug])

    def sorted(self, sort: str) -> str:
        """The same page sorted another way, shown at the column sorted by. The default order has no
        parameter: one address per page."""
        if sort == BY_REGION:
            return f"{self.to(**{SORT: []})}#{MATRIX_ANCHOR}"
        return f"{self.to(**{SORT: [sort]})}#{column_anchor(sort)}"
