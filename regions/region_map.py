"""The inline SVG map of the 21 regions (shapes built by scripts/build_region_map.py)."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SHAPES_FILE = Path(__file__).resolve().parent / "map_data" / "regions.json"
SHADES = 5  # shading steps, lightest for no insatsområden


@cache
def shapes() -> dict:
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))


@dataclass
class MapRegion:
    region: object
    path: str
    count: int
    shade: int


def region_map(regions, count_attribute="focus_area_count") -> dict:
    """Template context for templates/regions/_map.html: each region's shape, link and shading by a count.

    `regions` are Region objects annotated with `count_attribute`.
    """
    data = shapes()
    counts = {region.slug: getattr(region, count_attribute, 0) or 0 for region in regions}
    top = max(counts.values(), default=0)
    items = [
        MapRegion(
            region=region,
            path=data["regions"][region.slug],
            count=counts[region.slug],
            shade=0 if not top or not counts[region.slug] else 1 + (SHADES - 2) * counts[region.slug] // top,
        )
        for region in regions
        if region.slug in data["regions"]
    ]
    return {"view_box": data["viewBox"], "items": items, "max_count": top}
