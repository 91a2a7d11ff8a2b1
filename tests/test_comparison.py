"""The comparison page (/jamfor/): the matrix with totals, shades and sorting, and the side-by-side view.

Browser checks (reflow at 320 px, axe, following the links and the form): tests/browser/test_comparison.py.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

from initiatives.models import MandatoryArea, Status

from .factories import make_focus_area, make_region, make_theme

pytestmark = pytest.mark.django_db

URL = reverse("comparison")
THREE = {"region": ["kalmar", "gotland", "halland"]}


@pytest.fixture
def regions():
    """Four regions whose themes overlap in known ways; Halland's draft must count nowhere."""
    circular = make_theme(name="Cirkulär ekonomi", slug="cirkular-ekonomi")
    climate = make_theme(name="Klimat och energi", slug="klimat")
    tourism = make_theme(name="Besöksnäring", slug="besoksnaring")
    skills = make_theme(name="Kompetensförsörjning", slug="kompetens")
    area_1 = MandatoryArea.objects.create(number=1, slug="foretagsstod", title="Hållbarhet i företagsstöd")
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    halland = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    kalmar = make_region(name="Region Kalmar län", short_name="Kalmar", slug="kalmar", county_code="08")
    orebro = make_region(name="Region Örebro", short_name="Örebro", slug="orebro", county_code="18")

    def area(region, title, themes, **kwargs):
        return make_focus_area(region=region, title=title, slug=slugify(title), themes=themes, **kwargs)

    area(gotland, "Besöksnäring", [tourism])
    area(gotland, "Mat och livsmedel", [circular])
    area(halland, "Fossilfria transporter", [climate])
    area(halland, "Grön omställning", [climate, circular])
    area(halland, "Klimatanpassning", [climate])
    area(halland, "Hemligt utkast", [tourism, skills], status=Status.DRAFT)
    area(kalmar, "Pilot Högsby", [skills])
    area(kalmar, "Finansiering", [circular, skills], mandatory_area=area_1)
    area(orebro, "Barn och unga", [skills])
    return {"gotland": gotland, "halland": halland, "kalmar": kalmar, "orebro": orebro}


def page(client, data=None, language=""):
    # The request activates its language in this thread and leaves it active: restore the one before, so
    # that an English request does not turn later tests' reverse() English.
    with translation.override(translation.get_language()):
        response = client.get(language + URL, data)
    assert response.status_code == 200, (data, response.status_code)
    return response.content.decode()


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def section(html, start, end="</table>"):
    return html[html.index(start) : html.index(end, html.index(start))]


def matrix_rows(html):
    """The matrix's body as [(region, [counts in column order], total, chosen)]."""
    body = section(html, '<table class="matrix">', "</tbody>")
    rows = re.findall(r"<tr( class=\"chosen\")?><th scope=\"row\">(.*?)</th>(.*?)</tr>", body, re.S)
    return [
        (
            re.search(r'lang="sv">([^<]+)</a>', header).group(1),
            [int(n) for n in re.findall(r'<td class="count-\d">(\d+)</td>', cells)],
            int(re.search(r'<td class="total">(\d+)</td>', cells).group(1)),
            bool(chosen),
        )
        for chosen, header, cells in rows
    ]


def column_headers(html):
    head = section(html, '<table class="matrix">', "</thead>")
    return [text(th) for th in re.findall(r"<th scope=\"col\".*?</th>", head, re.S)]


def sort_link(html, label):
    """The href of the matrix's column header whose visible label is `label`."""
    head = section(html, '<table class="matrix">', "</thead>")
    for href, inner in re.findall(r'<th scope="col"[^>]*><a href="([^"]+)">(.*?)</a>', head, re.S):
        if text(re.sub(r'<span class="visually-hidden">.*?</span>', "", inner)) == label:
            return href.replace("&amp;", "&")
    raise AssertionError(f"no sort link {label!r}")


# --- The matrix --------------------------------------------------------------------------------------


def test_the_matrix_comes_first_then_the_picker(client, regions):
    html = page(client)
    assert html.index('class="matrix"') < html.index('name="region"')
    assert 'href="#valj"' in html and 'id="valj"' in html  # the intro points to the picker below


def test_readable_column_headers_in_order_with_a_total(client, regions):
    html = page(client)
    labels = [re.sub(r", sortera.*", "", header) for header in column_headers(html)]
    themes = ["Besöksnäring", "Cirkulär ekonomi", "Klimat och energi", "Kompetensförsörjning"]
    assert labels == ["Region", *themes, "Totalt"]
    assert "writing-mode" not in Path("static/css/comparison.css").read_text()  # no rotated headers


def test_totals_per_region_and_per_theme(client, regions):
    html = page(client)
    assert matrix_rows(html) == [
        ("Gotland", [1, 1, 0, 0], 2, False),
        ("Halland", [0, 1, 3, 0], 3, False),  # the draft counts nowhere
        ("Kalmar", [0, 1, 0, 2], 2, False),  # two insatsområden, though the row adds up to three
        ("Örebro", [0, 0, 0, 1], 1, False),
    ]
    foot = section(html, "<tfoot>", "</tfoot>")
    focus_areas, regions_row = re.findall(r"<tr>(.*?)</tr>", foot, re.S)
    assert re.findall(r">(\d+)</td>", focus_areas) == ["1", "3", "3", "3", "8"]
    assert re.findall(r">(\d+)</td>", regions_row) == ["1", "3", "1", "2", "4"]


def test_each_count_step_has_its_shade_and_a_legend(client, regions):
    html = page(client)
    halland = section(html, 'href="/regioner/halland/"', "</tr>")
    assert re.findall(r'<td class="(count-\d)">', halland) == ["count-0", "count-1", "count-3", "count-0"]
    kalmar = section(html, 'href="/regioner/kalmar/"', "</tr>")
    assert '<td class="count-2">2</td>' in kalmar
    legend = section(html, '<div class="legend">', "</div>")
    assert re.findall(r'class="swatch (count-\d)">([^<]+)<', legend) == [
        ("count-0", "0"),
        ("count-1", "1"),
        ("count-2", "2"),
        ("count-3", "3 eller fler"),
    ]


def test_sorting_by_a_theme_puts_the_most_first_and_keeps_ties_alphabetical(client, regions):
    html = page(client)
    link = sort_link(html, "Kompetensförsörjning")
    assert link == "/jamfor/?sortera=kompetens#kolumn-kompetens"
    html = page(client, {"sortera": "kompetens"})
    assert [row[0] for row in matrix_rows(html)] == ["Kalmar", "Örebro", "Gotland", "Halland"]
    assert '<th scope="col" id="kolumn-kompetens" aria-sort="descending" class="sorted">' in html
    assert "Sorterad efter " in html and ">Kompetensförsörjning</span>, flest först." in html
    assert html.count("aria-sort=") == 1


def test_sorting_by_total_and_back_to_alphabetical(client, regions):
    html = page(client, {"sortera": "totalt"})
    assert [row[0] for row in matrix_rows(html)] == ["Halland", "Gotland", "Kalmar", "Örebro"]
    assert "Sorterad efter totalt antal insatsområden, flest först." in html
    back = sort_link(html, "Region")
    assert back == "/jamfor/#matris"  # the default order has no parameter
    html = page(client, {"sortera": "region"})
    assert [row[0] for row in matrix_rows(html)] == ["Gotland", "Halland", "Kalmar", "Örebro"]
    assert '<th scope="col" class="region" aria-sort="ascending">' in html


@pytest.mark.parametrize("value", ["nope", "KLIMAT", "<script>x</script>", "a\x00b", "x" * 500])
def test_an_unknown_sort_is_named_and_ignored(client, regions, value):
    html = page(client, {"sortera": value})
    assert [row[0] for row in matrix_rows(html)] == ["Gotland", "Halland", "Kalmar", "Örebro"]
    notice = text(section(html, '<div class="notice" role="alert">', "</div>"))
    assert notice.startswith("Tabellen kan inte sorteras efter ”")
    assert "<script>x" not in html and "\x00" not in html
    assert 'name="sortera"' not in html  # the picker does not carry it on


def test_an_empty_sort_is_the_default_without_a_notice(client, regions):
    html = page(client, {"sortera": ""})
    assert 'role="alert"' not in html and "Sorterad efter region, A–Ö." in html


def test_sorting_keeps_the_chosen_regions_and_the_picker_keeps_the_sort(client, regions):
    html = page(client, {"region": ["kalmar", "gotland"]})
    link = sort_link(html, "Klimat och energi")
    assert link == "/jamfor/?region=kalmar&region=gotland&sortera=klimat#kolumn-klimat"
    html = client.get(link.split("#")[0]).content.decode()
    assert 'class="side-by-side"' in html and matrix_rows(html)[0][0] == "Halland"
    assert '<input type="hidden" name="sortera" value="klimat">' in html
    # "Rensa" lets go of the regions, not of the sort order.
    assert '<a href="/jamfor/?sortera=klimat">Rensa</a>' in html


def test_the_chosen_regions_rows_are_marked_in_words_too(client, regions):
    html = page(client, {"region": ["kalmar", "orebro"]})
    assert [(row[0], row[3]) for row in matrix_rows(html)] == [
        ("Gotland", False),
        ("Halland", False),
        ("Kalmar", True),
        ("Örebro", True),
    ]
    assert html.count('<span class="chosen-mark">jämförs</span>') == 2


def test_sort_links_land_on_the_column_they_sort_by(client, regions):
    html = page(client)
    assert sort_link(html, "Totalt") == "/jamfor/?sortera=totalt#kolumn-totalt"
    assert 'id="kolumn-totalt"' in html and 'id="kolumn-klimat"' in html and 'id="matris"' in html


# --- Side by side ------------------------------------------------------------------------------------


def test_the_heading_names_the_regions_naturally(client, regions):
    heading = re.compile(r'<h2 id="side-heading">(.*?)</h2>', re.S)
    assert text(heading.search(page(client, THREE)).group(1)) == "Kalmar, Gotland och Halland"
    english = page(client, THREE, language="/en")
    assert text(heading.search(english).group(1)) == "Kalmar, Gotland and Halland"
    two = page(client, {"region": ["orebro", "kalmar"]})
    assert text(heading.search(two).group(1)) == "Örebro och Kalmar"
    assert '<span lang="sv">Örebro</span> och <span lang="sv">Kalmar</span>' in two


def summary_row(html, header):
    table = section(html, '<table class="side-by-side">')
    row = re.search(rf'<tr><th scope="row">{re.escape(header)}</th>(.*?)</tr>', table, re.S)
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)


def items(cell):
    return re.findall(r'<li><a href="[^"]+" lang="sv">([^<]+)</a></li>', cell)


def test_the_summary_opens_the_side_by_side_view(client, regions):
    html = page(client, THREE)
    table = section(html, '<table class="side-by-side">')
    assert table.index("Sammanfattning") < table.index("Insatsområden per tema")
    counts = summary_row(html, "Publicerade insatsområden")
    assert [re.sub(r"<span.*?</span>", "", cell) for cell in counts] == ["2", "2", "3"]
    mandatory = summary_row(html, "Obligatoriska områden som beskrivs")
    assert [items(cell) for cell in mandatory] == [["Hållbarhet i företagsstöd"], [], []]
    (shared,) = summary_row(html, "Teman alla tre har")
    assert items(shared) == ["Cirkulär ekonomi"]
    # A theme two of the three have is in neither "all" nor "only here": its own row names the two.
    (partly,) = summary_row(html, "Teman två av dem har")
    assert text(partly) == "–inget"
    unique = summary_row(html, "Teman som bara den här regionen har")
    assert [items(cell) for cell in unique] == [
        ["Kompetensförsörjning"],
        ["Besöksnäring"],
        ["Klimat och energi"],
    ]


def test_nothing_shared_is_said_in_words(client, regions):
    html = page(client, {"region": ["gotland", "orebro"]})
    (shared,) = summary_row(html, "Gemensamma teman")
    assert text(shared) == "Inget tema som alla de valda regionerna arbetar med."


def test_each_cell_lists_its_insatsomraden_as_a_list(client, regions):
    html = page(client, THREE)
    table = section(html, '<table class="side-by-side">')
    climate = re.search(r'<tr><th scope="row"><a href="/teman/klimat/"[^>]*>.*?</tr>', table, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", climate, re.S)
    assert [items(cell) for cell in cells] == [
        [],
        [],
        ["Fossilfria transporter", "Grön omställning", "Klimatanpassning"],
    ]
    assert "<ul><li>" in cells[2] and "<br>" not in table
    assert "Hemligt utkast" not in html
    # Column headers keep the regions' full names; each cell also names its region for the phone layout.
    assert (
        "Region Kalmar län</a></th>" in table
        and '<span class="cell-label" lang="sv">Halland</span>' in cells[2]
    )


def test_one_region_asks_for_another_and_has_no_shared_rows(client, regions):
    html = page(client, {"region": "kalmar"})
    assert "Välj en eller två regioner till för att jämföra." in html
    assert "Gemensamma teman" not in html and "Teman som bara den här regionen har" not in html


def test_remove_links_and_clear(client, regions):
    html = page(client, THREE)
    assert (
        '<a href="/jamfor/?region=kalmar&amp;region=halland">Ta bort <span lang="sv">Gotland</span></a>'
        in html
    )
    assert '<a href="/jamfor/">Rensa</a>' in html
    assert html.count("checked") == 3


def test_unknown_regions_and_more_than_three_are_named(client, regions):
    html = page(client, {"region": ["kalmar", "nope", "gotland", "halland", "orebro", "<b>"]})
    notice = text(section(html, '<div class="notice" role="alert">', "</div>"))
    assert "Ingen region heter ”nope”, ”<b>”." in notice.replace("&lt;", "<").replace("&gt;", ">")
    assert "Högst 3 regioner kan jämföras åt gången; de första 3 visas." in notice
    assert len(summary_row(html, "Publicerade insatsområden")) == 3
    assert [row[0] for row in matrix_rows(html) if row[3]] == ["Gotland", "Halland", "Kalmar"]


def test_no_published_work_says_so(client, regions):
    make_region(name="Region Tom", short_name="Tom", slug="tom", county_code="10")
    html = page(client, {"region": ["tom"]})
    assert "De valda regionerna har inga publicerade insatsområden med teman." in html
    assert summary_row(html, "Publicerade insatsområden") == [
        '<span class="cell-label" lang="sv">Tom</span>0'
    ]


def test_english_interface_sorts_columns_by_their_english_names(client, regions):
    from initiatives.models import Theme

    Theme.objects.filter(slug="klimat").update(name_en="Climate and energy")
    Theme.objects.filter(slug="besoksnaring").update(name_en="Tourism")
    html = page(client, language="/en")
    head = section(html, '<table class="matrix">', "</thead>")
    assert (
        '<span lang="en">Climate and energy</span>' in head
        and '<span lang="sv">Cirkulär ekonomi</span>' in head
    )
    labels = [re.sub(r", sort.*", "", h) for h in column_headers(html)][1:-1]
    assert labels == sorted(labels, key=str.casefold)


def test_a_theme_two_of_three_share_is_named_with_the_two(client, regions):
    """It was in neither "shared" (all three) nor "only here" (one), so the summary read as complete
    while leaving it out (found by a reviewer using the page)."""
    from initiatives.models import FocusArea, Theme

    FocusArea.objects.filter(region__slug="halland", status="published").first().themes.add(
        Theme.objects.get(slug="besoksnaring")
    )
    html = page(client, THREE)
    (partly,) = summary_row(html, "Teman två av dem har")
    assert '<a href="/teman/besoksnaring/" lang="sv">Besöksnäring</a>' in partly
    assert '(<span lang="sv">Gotland</span>, <span lang="sv">Halland</span>)' in partly
    unique = summary_row(html, "Teman som bara den här regionen har")
    assert "Besöksnäring" not in "".join(unique)


def test_a_cell_shows_its_first_insatsomraden_and_links_to_all_of_them(client, regions):
    # At 100 times today's data a side-by-side comparison of two regions listed about a thousand
    # insatsområden (165 kB). A cell shows its first ones, in the region's order, and links to the list
    # filtered by that region and theme, which pages through them all.
    from regions.comparison import CELL_MAX

    for n in range(CELL_MAX + 5):
        make_focus_area(
            region=regions["halland"], title=f"Klimatinsats {n:02d}", slug=f"klimat-{n:02d}",
            themes=[regions["halland"].focus_areas.first().themes.get(slug="klimat")], order=10 + n,
        )  # fmt: skip
    html = page(client, THREE)
    table = section(html, '<table class="side-by-side">')
    climate = re.search(r'<tr><th scope="row"><a href="/teman/klimat/"[^>]*>.*?</tr>', table, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", climate, re.S)
    shown = items(cells[2])
    assert len(shown) == CELL_MAX and shown[:3] == [
        "Fossilfria transporter",
        "Grön omställning",
        "Klimatanpassning",
    ]
    more = re.search(r'<li class="more"><a href="([^"]+)">(.*?)</a></li>', cells[2], re.S)
    assert more.group(1) == "/insatsomraden/?region=halland&amp;tema=klimat"
    assert text(more.group(2)) == f"Alla {CELL_MAX + 8} insatsområden i Halland med temat Klimat och energi"
    counts = summary_row(html, "Publicerade insatsområden")
    assert [re.sub(r"<span.*?</span>", "", cell) for cell in counts] == ["2", "2", str(3 + CELL_MAX + 5)]
    assert '<li class="more">' not in cells[0] + cells[1]
    english = text(page(client, THREE, language="/en"))
    assert (
        f"All {CELL_MAX + 8} focus areas in Halland with the theme Klimat och energi" in english
    )  # no English name
