"""The public catalogue: filters and facets, the map, themes, mandatory areas, comparison, about."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.text import slugify

from initiatives.models import Dimension, FocusArea, MandatoryArea, SdgGoal, Status
from regions.region_map import SHAPES_FILE

from .factories import make_activity, make_focus_area, make_region, make_theme

pytestmark = pytest.mark.django_db


def html_of(client, url, data=None):
    response = client.get(url, data)
    assert response.status_code == 200, (url, data, response.status_code)
    return response.content.decode()


def result_titles(html):
    return re.findall(r'<h3 lang="sv"><a href="[^"]+">([^<]+)</a></h3>', html)


def result_count(html):
    return int(re.search(r'class="result-count" role="status">(\d+) insatsområde', html).group(1))


@pytest.fixture
def catalogue():
    """Three regions, four themes, a handful of insatsområden with known overlaps."""
    circular = make_theme(name="Cirkulär ekonomi", slug="cirkular-ekonomi")
    tourism = make_theme(name="Besöksnäring", slug="besoksnaring")
    skills = make_theme(name="Kompetensförsörjning", slug="kompetensforsorjning")
    make_theme(name="Oanvänt tema", slug="oanvant")
    social, environmental = Dimension.objects.get(slug="social"), Dimension.objects.get(slug="miljomassig")
    area_1 = MandatoryArea.objects.create(number=1, slug="finansiering", title="Finansiering")
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    kalmar = make_region(name="Region Kalmar län", short_name="Kalmar", slug="kalmar", county_code="08")
    orebro = make_region(name="Region Örebro", short_name="Örebro", slug="orebro", county_code="18")

    def area(region, title, themes, dimensions=(), **kwargs):
        focus_area = make_focus_area(region=region, title=title, slug=slugify(title), **kwargs)
        focus_area.themes.set(themes)
        focus_area.dimensions.set(dimensions)
        return focus_area

    area(gotland, "Besöksnäring", [tourism], [environmental])
    area(gotland, "Mat och livsmedel", [circular], [environmental])
    pilot = area(kalmar, "Pilot Högsby", [skills], [social])
    make_activity(pilot, title="Landsbygdskontor", body="Co-working på landsbygden.")
    area(kalmar, "Finansiering", [circular, skills], [social, environmental], mandatory_area=area_1)
    area(orebro, "Barn och unga", [skills], [social]).sdg_goals.set([SdgGoal.objects.get(number=4)])
    area(orebro, "Utkast om cirkularitet", [circular], status=Status.DRAFT)
    return {"gotland": gotland, "kalmar": kalmar, "orebro": orebro}


# --- Filters ---------------------------------------------------------------------------------------


LIST = reverse("focus_area_list")


def test_unfiltered_list_shows_every_published_focus_area(client, catalogue):
    html = html_of(client, LIST)
    assert result_count(html) == 5
    assert "Utkast om cirkularitet" not in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"region": ["gotland", "orebro"]}, {"Besöksnäring", "Mat och livsmedel", "Barn och unga"}),
        (
            {"tema": ["cirkular-ekonomi", "besoksnaring"]},
            {"Besöksnäring", "Mat och livsmedel", "Finansiering"},
        ),
        ({"tema": "cirkular-ekonomi", "region": "kalmar"}, {"Finansiering"}),
        ({"dimension": "social"}, {"Pilot Högsby", "Finansiering", "Barn och unga"}),
        (
            {"dimension": ["social", "miljomassig"], "region": "gotland"},
            {"Besöksnäring", "Mat och livsmedel"},
        ),
        ({"omrade": "finansiering"}, {"Finansiering"}),
        ({"agenda2030": "4"}, {"Barn och unga"}),
        ({"q": "landsbygden"}, {"Pilot Högsby"}),  # found in an activity
        ({"q": "KALMAR"}, {"Pilot Högsby", "Finansiering"}),  # the region's name, any case
        ({"q": "zzxq qqzx"}, set()),
    ],
)
def test_filters_combine_or_within_and_across_facets(client, catalogue, params, expected):
    assert set(result_titles(html_of(client, LIST, params))) == expected


def facet_option(value, label, count, checked=False):
    """A facet's option as rendered: the label is content (lang="sv"), the count interface."""
    state = " checked" if checked else ""
    return f'value="{value}"{state}> <span><span lang="sv">{label}</span> <span class="count">({count})'


def test_facet_counts_ignore_their_own_selection_and_respect_the_others(client, catalogue):
    html = html_of(client, LIST, {"region": "kalmar", "tema": "kompetensforsorjning"})
    # Region counts: theme filter applied, region filter not.
    assert facet_option("kalmar", "Kalmar", 2, checked=True) in html  # short names under "Region"
    assert facet_option("orebro", "Örebro", 1) in html
    assert 'value="gotland"' not in html  # 0 results, not offered
    # Theme counts: region filter applied, theme filter not.
    assert facet_option("cirkular-ekonomi", "Cirkulär ekonomi", 1) in html
    assert facet_option("kompetensforsorjning", "Kompetensförsörjning", 2, checked=True) in html
    assert result_count(html) == 2


def test_active_filters_are_removable_chips(client, catalogue):
    html = html_of(client, LIST, {"region": ["kalmar", "gotland"], "q": "pilot"})
    found = re.findall(r'<li><a href="(\?[^"]*)">(.+?) <span aria-hidden="true">×', html)
    chips = {url: re.sub(r"<[^>]+>", "", label) for url, label in found}
    assert set(chips.values()) == {"Region: Gotland", "Region: Kalmar", "Fritext: ”pilot”"}
    # The facet's name is interface, its value content.
    assert 'Region: <span lang="sv">Gotland</span>' in html
    without_gotland = next(url for url, label in chips.items() if label.endswith("Gotland"))
    assert (
        "region=kalmar" in without_gotland
        and "gotland" not in without_gotland
        and "q=pilot" in without_gotland
    )
    assert 'class="clear-all"' in html


def test_titles_sort_in_swedish_order_whatever_their_case(client, catalogue):
    # Found trying it: "Rubrik A–Ö" listed every capitalised title before the lower-case ones (the
    # database's C collation compares code points), and Ä before Å.
    titles = ["ängar och hagar", "Åtgärder i skogen", "arbetsmarknad", "Öppna data", "zonplan", "Ärenden"]
    for title in titles:
        make_focus_area(region=catalogue["gotland"], title=title)
    titles = result_titles(html_of(client, LIST, {"sortera": "rubrik", "region": "gotland"}))
    assert [t for t in titles if t[0].lower() in "azåäö"] == [
        "arbetsmarknad",
        "zonplan",
        "Åtgärder i skogen",
        "ängar och hagar",
        "Ärenden",
        "Öppna data",
    ]


def test_sorting(client, catalogue):
    assert result_titles(html_of(client, LIST, {"sortera": "rubrik"}))[:2] == [
        "Barn och unga",
        "Besöksnäring",
    ]
    by_region = result_titles(html_of(client, LIST))
    assert (
        by_region.index("Besöksnäring") < by_region.index("Pilot Högsby") < by_region.index("Barn och unga")
    )
    # "Senast ändrad" orders by a person's last change (regions/edits.py): a save by code is none.
    pilot = FocusArea.objects.get(title="Pilot Högsby")
    pilot.save()
    assert result_titles(html_of(client, LIST, {"sortera": "uppdaterad"}))[0] == "Besöksnäring"
    from django.contrib.auth.models import User

    pilot._history_user = User.objects.create_user("eva")  # what an admin save records
    pilot.save()
    assert result_titles(html_of(client, LIST, {"sortera": "uppdaterad"}))[0] == "Pilot Högsby"


@pytest.mark.parametrize(
    "params, notice, count",
    [
        ({"region": ["kalmar", "finns-inte"]}, "Ingen region heter ”finns-inte”.", 2),
        ({"region": "finns-inte"}, "Ingen region heter ”finns-inte”.", 5),
        ({"tema": "x"}, "Inget tema heter ”x”.", 5),
        ({"dimension": "gron"}, "Ingen hållbarhetsdimension heter ”gron”.", 5),
        ({"omrade": ["x", "y"]}, "Inget obligatoriskt område heter ”y”.", 5),
        ({"agenda2030": "18"}, "Filtret ”Agenda 2030-mål” ignorerades", 5),
        ({"region": "<script>"}, "Ogiltigt värde: &lt;script&gt;", 5),
        ({"q": "x" * 201}, "Filtret ”Fritext” ignorerades", 5),
        ({"q": "a\x00b"}, "Filtret ”Fritext” ignorerades", 5),
        ({"region": [f"r{n}" for n in range(30)]}, "Högst 25 val per filter", 5),
        ({"sortera": "pris"}, "Filtret ”Sortera” ignorerades", 5),
        ({"sida": "abc"}, "Sidan ”abc” finns inte; här är sida 1.", 5),
        ({"sida": "99"}, "Sidan ”99” finns inte; här är sida 1.", 5),
        ({"sida": "-1"}, "Sidan ”-1” finns inte; här är sida 1.", 5),
    ],
)
def test_bad_input_gets_a_clear_message_and_a_corrected_result(client, catalogue, params, notice, count):
    html = html_of(client, LIST, params)
    assert notice in html
    assert result_count(html) == count


def test_empty_result_says_so_and_offers_a_way_out(client, catalogue):
    html = html_of(client, LIST, {"region": "gotland", "dimension": "social"})
    assert result_count(html) == 0
    assert "Inga insatsområden matchar de valda filtren." in html


def test_pagination_keeps_the_filters_and_marks_the_current_page(client, catalogue):
    for n in range(25):
        make_focus_area(region=catalogue["gotland"], title=f"Extra {n:02}", slug=f"extra-{n}")
    html = html_of(client, LIST, {"region": "gotland", "sida": "2"})
    assert "27 insatsområden, sida 2 av 2" in html
    assert 'href="?region=gotland&amp;sida=2" aria-current="page"' in html
    assert 'href="?region=gotland&amp;sida=1" rel="prev"' in html


@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("-3", 1), ("99", 2)])
def test_a_page_number_out_of_range_lands_on_the_nearest_page(client, catalogue, asked, shown):
    # Found trying it: `?sida=0` showed the last page, as Django's Paginator.get_page does for any number
    # it cannot show; below the first page is the first.
    for n in range(25):
        make_focus_area(region=catalogue["gotland"], title=f"Extra {n:02}", slug=f"extra-{n}")
    html = html_of(client, LIST, {"region": "gotland", "sida": asked})
    assert f"27 insatsområden, sida {shown} av 2" in html
    assert f"Sidan ”{asked}” finns inte; här är sida {shown}." in html


@pytest.mark.parametrize("asked", ["02", "+2", "２", " 2"])
def test_another_spelling_of_a_page_number_is_that_page_without_a_notice(client, catalogue, asked):
    # Found in review: `?sida=02` (or a full-width ２) showed page 2 under "Sidan ”02” finns inte; här är
    # sida 2.", a notice that contradicts itself.
    for n in range(25):
        make_focus_area(region=catalogue["gotland"], title=f"Extra {n:02}", slug=f"extra-{n}")
    html = html_of(client, LIST, {"region": "gotland", "sida": asked})
    assert "27 insatsområden, sida 2 av 2" in html and "finns inte" not in html


def test_many_pages_are_linked_as_a_short_window_not_one_link_each(client, catalogue):
    # Found by a review at 100 times today's data: the list printed a link to each of its 280 pages
    # (2,260 px tall at 320 px wide), and a keyboard or screen reader user went through all of them to
    # reach "Nästa" and the downloads.
    for n in range(20 * 14):
        make_focus_area(region=catalogue["gotland"], title=f"Extra {n:03}", slug=f"extra-{n}")
    html = html_of(client, LIST, {"sida": "8"})
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    numbers = re.findall(
        r'sida=(\d+)"(?: aria-current="page")?><span class="visually-hidden">Sida </span>', nav
    )
    assert numbers == ["1", "6", "7", "8", "9", "10", "15"]  # the ends, and two either side of this one
    assert nav.count('<span aria-hidden="true">…</span>') == 2
    assert (
        'sida=8" aria-current="page"' in nav and 'sida=7" rel="prev"' in nav and 'sida=9" rel="next"' in nav
    )


def test_the_filter_form_works_without_javascript(client, catalogue):
    html = html_of(client, LIST)
    form = re.search(
        r'<form class="filters" method="get" action="/insatsomraden/".*?</form>', html, re.S
    ).group(0)
    assert '<button type="submit">Visa</button>' in form
    assert "<script" not in html


# --- Pages ----------------------------------------------------------------------------------------


def test_map_has_all_21_regions_and_is_regenerated_from_its_source(client):
    from scripts.build_region_map import MAP_DIR, build

    shapes = json.loads(SHAPES_FILE.read_text(encoding="utf-8"))
    assert len(shapes["regions"]) == 21
    topology = json.loads((MAP_DIR / "swe.topo.json").read_text(encoding="utf-8"))
    assert build(topology) == shapes, "regions.json is out of date: run `make map`"


def test_start_page_has_map_search_themes_and_recent(client, catalogue):
    html = html_of(client, reverse("home"))
    # The start page's map is neutral: each region a link named by the region, no counts (test_region_map.py).
    links = re.findall(r'<a href="(/regioner/[^/]+/)" aria-label="([^"]+)" lang="sv">\s*<path', html)
    assert ("/regioner/kalmar/", "Region Kalmar län") in links
    assert len(links) == 3  # every region in the database that the map has a shape for
    assert 'role="search"' in html and 'name="q"' in html
    theme = 'href="/teman/kompetensforsorjning/" lang="sv">Kompetensförsörjning</a>'
    assert f'{theme} <span class="meta">2 regioner' in html
    assert "Oanvänt tema" not in html
    assert 'aria-labelledby="recent-heading"' in html


def test_region_page_shows_regions_with_shared_themes(client, catalogue):
    html = html_of(client, reverse("region_detail", args=["kalmar"]))
    similar = html[html.index('id="similar-heading"') :]
    assert ">Örebro</a>" in similar and ">Gotland</a>" in similar
    assert "?region=kalmar&amp;region=" in similar and "region=orebro" in similar


def test_focus_area_page_shows_similar_work_in_other_regions(client, catalogue):
    html = html_of(client, reverse("focus_area_detail", args=["kalmar", "finansiering"]))
    similar = html[html.index('id="similar-heading"') :]
    assert "Mat och livsmedel" in similar and "Barn och unga" in similar
    assert "Pilot Högsby" not in similar  # same region
    assert "Utkast om cirkularitet" not in similar  # draft


def test_theme_pages(client, catalogue):
    html = html_of(client, reverse("theme_list"))
    assert re.search(r"Cirkulär ekonomi</a> <span class=\"meta\">2 regioner, 2 insatsområden", html)
    html = html_of(client, reverse("theme_detail", args=["cirkular-ekonomi"]))
    assert "2 regioner arbetar med temat" in html
    assert "Mat och livsmedel" in html and "Utkast om cirkularitet" not in html
    assert client.get(reverse("theme_detail", args=["finns-inte"])).status_code == 404


# (The parameter is not called `page`: that is pytest-playwright's fixture, and a parameter of that name made
# the test transactional, its flush emptying the vocabularies for the tests after it.)
@pytest.mark.parametrize(
    "view_name, shared, query",
    [
        ("theme_detail", {"themes": ["cirkular-ekonomi"]}, "tema=cirkular-ekonomi"),
        ("mandatory_area_detail", {"mandatory_area": "finansiering"}, "omrade=finansiering"),
    ],
)
def test_a_regions_group_shows_its_first_insatsomraden_and_links_to_all(
    client, catalogue, view_name, shared, query
):
    # At 100 times today's data a theme's page listed 700 insatsområden (200 kB): each region's group shows
    # its first GROUP_MAX, in the region's order, and links to the list filtered by region and theme or area.
    from initiatives.models import Theme
    from initiatives.views import GROUP_MAX

    kalmar = catalogue["kalmar"]
    for n in range(GROUP_MAX + 2):
        extra = make_focus_area(region=kalmar, title=f"Extra {n:02d}", slug=f"extra-{n:02d}", order=50 + n)
        if "themes" in shared:
            extra.themes.set(Theme.objects.filter(slug__in=shared["themes"]))
        else:
            extra.mandatory_area = MandatoryArea.objects.get(slug=shared["mandatory_area"])
            extra.save()
    slug = query.split("=")[1]
    html = html_of(client, reverse(view_name, args=[slug]))
    group = re.search(
        r'<section class="region-group" aria-labelledby="group-kalmar">(.*?)</section>', html, re.S
    )
    listed = re.findall(r'<li><a href="[^"]+">([^<]+)</a>', group.group(1))
    assert (
        len(listed) == GROUP_MAX
        and listed[0] == "Finansiering"
        and listed[-1] == f"Extra {GROUP_MAX - 2:02d}"
    )
    more = re.search(r'<p class="more"><a href="([^"]+)">(.*?)</a></p>', group.group(1), re.S)
    assert more.group(1) == f"/insatsomraden/?region=kalmar&amp;{query}"
    assert (
        " ".join(re.sub(r"<[^>]+>", "", more.group(2)).split())
        == f"Alla {GROUP_MAX + 3} insatsområden i Kalmar"
    )
    gotland = re.search(r'aria-labelledby="group-gotland">(.*?)</section>', html, re.S)
    assert gotland is None or 'class="more"' not in gotland.group(1)


def test_mandatory_area_page(client, catalogue):
    html = html_of(client, reverse("mandatory_area_detail", args=["finansiering"]))
    assert '<h1 lang="sv">Finansiering</h1>' in html and "Region Kalmar län" in html
    assert client.get(reverse("mandatory_area_detail", args=["nej"])).status_code == 404


def test_comparison_matrix_and_side_by_side(client, catalogue):
    html = html_of(client, reverse("comparison"))
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html
    kalmar_row = re.search(
        r'<tr><th scope="row"><a href="/regioner/kalmar/" lang="sv">Kalmar</a></th>(.*?)</tr>', html, re.S
    )
    # tourism 0, circular economy 1, skills 2, unused 0; in all two insatsområden (one has both themes)
    assert re.findall(r'<td class="count-\d">(\d+)</td>', kalmar_row.group(1)) == ["0", "1", "2", "0"]
    assert '<td class="total">2</td>' in kalmar_row.group(1)

    html = html_of(client, reverse("comparison"), {"region": ["kalmar", "gotland"]})
    table = html[html.index('class="side-by-side"') :]
    assert "Region Kalmar län</a></th>" in table and "Region Gotland</a></th>" in table
    assert "Mat och livsmedel" in table and "Finansiering" in table

    html = html_of(
        client, reverse("comparison"), {"region": ["kalmar", "nope", "a", "b", "gotland", "orebro"]}
    )
    assert "Ingen region heter ”nope”, ”a”, ”b”." in html


def test_about_and_accessibility_pages_are_linked_from_every_page(client, catalogue):
    for url in [reverse("home"), LIST, reverse("comparison"), reverse("about")]:
        html = html_of(client, url)
        assert 'href="/tillganglighet/"' in html and 'href="/om/"' in html
    assert "Myndigheten för digital förvaltning" in html_of(client, reverse("accessibility"))
    assert "MIT-licens" in html_of(client, reverse("about"))


def test_every_page_links_the_main_sections(client, catalogue):
    html = html_of(client, reverse("region_detail", args=["gotland"]))
    nav = re.search(r'<nav aria-label="Huvudmeny".*?</nav>', html, re.S).group(0)
    for url in ["/regioner/", "/insatsomraden/", "/teman/", "/jamfor/", "/om/"]:
        assert f'href="{url}"' in nav
