"""The inline SVG map of the 21 regions (shapes built by scripts/build_region_map.py).

The map says only what it means. On the start page and the region list it is for finding a region: every
region has the same fill, nothing to compare. On a theme page it answers one yes-or-no question – does the
region have at least one published insatsområde with the theme? – with two fills and a pattern, and a
legend that says so in words and lists the regions of each group as links (templates/regions/_map.html).
A count is never shaded: a region's number of insatsområden says how it has divided its work, not how
sustainable it is.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES_FILE = Path(__file__).resolve().parent / "map_data" / "regions.json"

# The order the regions are drawn in, which is also the keyboard's order: north to south, as the map reads.
# Where the enlarged tap areas below overlap a neighbour, the one drawn later takes the overlap, so the
# order and HIT_STROKE are tuned together (Stockholm before Uppsala, Västmanland after both).
PAINT_ORDER = (
    "norrbotten", "vasterbotten", "jamtland-harjedalen", "vasternorrland", "gavleborg", "dalarna", "varmland",
    "stockholm", "uppsala", "vastmanland", "orebro", "sormland", "ostergotland", "vastra-gotaland", "gotland",
    "jonkoping", "kalmar", "halland", "kronoberg", "blekinge", "skane",
)  # fmt: skip

# The width, in viewBox units, of an invisible stroke around the smaller regions that also takes taps and
# clicks, mostly out over the sea. With it every region holds a square of at least 24 × 24 units (without
# it Blekinge, Gotland and Stockholm hold only about 11), so 24 × 24 CSS px (WCAG 2.5.8) wherever
# static/css/map.css draws the map at least 272 px wide: on every screen from 304 px up.
# tests/browser/test_map.py measures it in the browser.
HIT_STROKE = {
    "gotland": 18, "halland": 18, "stockholm": 16, "blekinge": 14, "uppsala": 14, "kalmar": 10,
    "kronoberg": 8, "vastmanland": 8, "sormland": 6, "jonkoping": 6, "ostergotland": 4, "orebro": 4,
}  # fmt: skip


@cache
def shapes() -> dict:
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))


@dataclass
class MapRegion:
    region: object
    path: str
    count: int  # on a theme page: published insatsområden with the theme
    hit_stroke: int = 0

    @property
    def works_on_theme(self) -> bool:
        return self.count > 0


def region_map(regions, theme=None, count_attribute="focus_area_count") -> dict:
    """Template context for templates/regions/_map.html.

    `regions` in the order a list of them should read (alphabetical). Without `theme` the map is neutral.
    With a theme, each region must be annotated with `count_attribute`: its published insatsområden with
    that theme; the map then shows which regions have at least one.
    """
    data = shapes()
    drawn = [
        MapRegion(
            region=region,
            path=data["regions"][region.slug],
            count=(getattr(region, count_attribute, 0) or 0) if theme is not None else 0,
            hit_stroke=HIT_STROKE.get(region.slug, 0),
        )
        for region in regions
        if region.slug in data["regions"]
    ]
    rank = {slug: i for i, slug in enumerate(PAINT_ORDER)}
    return {
        "view_box": data["viewBox"],
        "items": sorted(drawn, key=lambda item: rank.get(item.region.slug, len(rank))),
        "theme": theme,
        "working": [item for item in drawn if item.works_on_theme],
        "not_working": [item for item in drawn if not item.works_on_theme],
    }
