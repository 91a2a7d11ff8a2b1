"""The filter form of /insatsomraden/ as the page renders it: collapsible facet groups (<details>), the
first options of a long list and "Visa alla" for the rest, no inner scroll boxes, all without JavaScript.

On the real seeded catalogue (21 regions, 17 goals). The browser side, where a visitor opens a group and
ticks a region beyond the first six, is tests/browser/test_lists.py.
"""

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from initiatives.filters import FIRST_OPTIONS, SHOW_ALL_UP_TO
from regions.models import Region

pytestmark = pytest.mark.usefixtures("seeded")

FACETS = ["region", "tema", "dimension", "omrade", "agenda2030"]


def page(client, params=None, language=""):
    response = client.get(
        f"{language}/insatsomraden/" + (f"?{urlencode(params, doseq=True)}" if params else "")
    )
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def group(soup, name):
    """The <details> of one facet, found through the fieldset that notices link to."""
    return soup.find(id=f"filter-{name}").find_parent("details", class_="facet")


def summary_text(details):
    return " ".join(details.find("summary", recursive=False).get_text(" ").split())


def first_options(details):
    """The values shown before "Visa alla" (all of them when there is no "Visa alla")."""
    fieldset = details.find("fieldset")
    more = fieldset.find("details", class_="more-options")
    inputs = [i for i in fieldset.find_all("input") if i.get("value") and not (more and more in i.parents)]
    return [i["value"] for i in inputs]


def hidden_options(details):
    more = details.find("details", class_="more-options")
    return [i["value"] for i in more.find_all("input")] if more else []


def count_of(details, value):
    label = details.find("input", attrs={"value": value}).find_parent("label")
    return int(re.search(r"\((\d+)\)", label.get_text()).group(1))


def test_every_facet_is_a_closed_group_named_in_its_summary(client):
    soup = page(client)
    form = soup.find("form", class_="filters")
    groups = form.find_all("details", class_="facet")
    assert [g.find("fieldset")["id"] for g in groups] == [f"filter-{name}" for name in FACETS]
    assert [summary_text(g) for g in groups] == [
        "Region",
        "Tema",
        "Hållbarhetsdimension",
        "Obligatoriskt område",
        "Agenda 2030-mål",
    ]
    assert not any(g.has_attr("open") for g in groups)  # nothing chosen: only the names show
    for g in groups:  # each group is still a fieldset with its name, for screen readers
        assert g.find("fieldset").find("legend").get_text() == summary_text(g)
    assert "<script" not in str(soup)


def test_a_group_with_a_choice_is_open_and_says_how_many_are_chosen(client):
    soup = page(
        client, {"region": ["kalmar", "gotland"], "omrade": "hallbarhet-i-foretagsstod-och-projektmedel"}
    )
    region, area, theme = group(soup, "region"), group(soup, "omrade"), group(soup, "tema")
    assert region.has_attr("open") and summary_text(region) == "Region (2 valda)"
    assert area.has_attr("open") and summary_text(area) == "Obligatoriskt område (1 vald)"
    assert not theme.has_attr("open") and summary_text(theme) == "Tema"


def test_a_group_that_a_notice_is_about_is_open_so_that_the_notice_lands_on_it(client):
    soup = page(client, {"region": "finns-inte", "agenda2030": "99"})
    assert {a["href"] for a in soup.select(".notice a")} == {"#filter-agenda2030", "#filter-region"}
    assert group(soup, "region").has_attr("open") and group(soup, "agenda2030").has_attr("open")
    assert not group(soup, "tema").has_attr("open")


def test_a_long_list_shows_the_options_with_most_results_and_the_rest_behind_visa_alla(client):
    soup = page(client)
    regions = group(soup, "region")
    first, rest = first_options(regions), hidden_options(regions)
    assert len(first) == FIRST_OPTIONS and len(first) + len(rest) == Region.objects.count() == 21
    assert not set(first) & set(rest)  # each region once: one checkbox per value
    counts = {value: count_of(regions, value) for value in first + rest}
    assert min(counts[v] for v in first) >= max(counts[v] for v in rest)
    more = regions.find("details", class_="more-options")
    assert not more.has_attr("open")
    assert more.find("summary").find(class_="show-all").get_text() == "Visa alla (21)"
    assert more.find("summary").find(class_="show-fewer").get_text() == "Visa färre"
    # Both parts are in the facet's own order (A–Ö by region name), so that the eye can run down them.
    alphabetical = list(Region.objects.alphabetical().values_list("slug", flat=True))
    for part in (first, rest):
        assert part == [slug for slug in alphabetical if slug in part]


def test_chosen_options_are_always_among_the_first(client):
    # Örebro and Västra Götaland have fewer results than the first six: chosen, they show before "Visa alla".
    soup = page(client, {"region": ["orebro", "vastra-gotaland"]})
    first = first_options(group(soup, "region"))
    assert {"orebro", "vastra-gotaland"} <= set(first) and len(first) == FIRST_OPTIONS
    checked = [i["value"] for i in group(soup, "region").find_all("input", checked=True)]
    assert sorted(checked) == ["orebro", "vastra-gotaland"]
    many = [slug for slug in Region.objects.values_list("slug", flat=True)][:9]
    first = first_options(group(page(client, {"region": many}), "region"))
    assert set(many) <= set(first)  # more chosen than six: every chosen one shows


def test_short_lists_show_every_option_and_no_visa_alla(client):
    soup = page(client)
    for name in ("dimension", "omrade"):
        details = group(soup, name)
        assert details.find("details", class_="more-options") is None
        assert len(first_options(details)) <= SHOW_ALL_UP_TO
    area = group(soup, "omrade")
    assert [i["type"] for i in area.find_all("input")] == ["radio"] * len(area.find_all("input"))
    assert area.find("input", attrs={"value": ""}).has_attr("checked")  # "Alla"
    goals = group(soup, "agenda2030")  # 14 goals have results here: more than a short list
    assert (
        len(first_options(goals)) == FIRST_OPTIONS
        and len(hidden_options(goals)) > SHOW_ALL_UP_TO - FIRST_OPTIONS
    )


def test_there_are_no_scroll_boxes_inside_the_form():
    css = (Path(settings.BASE_DIR) / "static/css/lists.css").read_text(encoding="utf-8")
    assert "max-height" not in css and not re.search(r"overflow(-y)?:\s*(auto|scroll)", css)


def test_the_form_keeps_the_shareable_parameters(client):
    soup = page(client, {"tema": "besoksnaring", "dimension": "social", "sortera": "rubrik"})
    form = soup.find("form", class_="filters")
    assert form["method"] == "get" and form["action"] == "/insatsomraden/"
    names = {i["name"] for i in form.find_all(["input", "select"])}
    assert names == {"q", "region", "tema", "dimension", "omrade", "agenda2030", "sortera"}
    assert [i["value"] for i in form.find_all("input", checked=True) if i["type"] == "checkbox"] == [
        "besoksnaring",
        "social",
    ]
    assert form.find("option", selected=True)["value"] == "rubrik"
    assert soup.select_one(".jump-to-results a")["href"] == "#results"


def test_english_labels_say_their_language(client):
    soup = page(client, language="/en")
    dimensions = group(soup, "dimension")
    labels = {span.get_text(): span["lang"] for span in dimensions.select("label span[lang]")}
    assert labels == {
        "Economic sustainability": "en",
        "Social sustainability": "en",
        "Environmental sustainability": "en",
    }
    regions = group(soup, "region")
    assert {span["lang"] for span in regions.select("label span[lang]")} == {"sv"}  # names are content
    swedish = group(page(client), "dimension")
    assert {span["lang"] for span in swedish.select("label span[lang]")} == {"sv"}


def test_a_group_without_options_says_so(client):
    soup = page(client, {"q": "zzxqy"})  # matches nothing: no checkbox would give results
    regions = group(soup, "region")
    assert regions.find_all("input") == []
    assert "Inget val här ger träffar" in regions.get_text()
    assert group(soup, "omrade").find_all("input", attrs={"type": "radio"})  # "Alla" and the areas stay
