"""Open data: sitemap, robots.txt, Atom feeds, CSV and JSON downloads. Published only, no hidden contacts."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from contacts.models import Contact
from initiatives.exports import safe_cell
from initiatives.models import FocusArea, Status

pytestmark = pytest.mark.usefixtures("seeded")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def unpublished_and_hidden():
    FocusArea.objects.filter(region__slug="gotland", slug="besoksnaring").update(status=Status.DRAFT)
    Contact.objects.filter(name="William Cöster").update(is_public=False)


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_addresses(client):
    """Every address in the sitemap, as a crawler reads it: the index, then each page it lists."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = []
    for page in index.iter(f"{SITEMAP}loc"):
        response = client.get(page.text.removeprefix("http://testserver"))
        assert response.status_code == 200, page.text
        urls += [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    return urls


def test_sitemap_lists_every_public_page_and_robots_points_to_it(client, unpublished_and_hidden):
    listed = sitemap_addresses(client)
    urls = set(listed)
    assert len(listed) == len(urls)  # each once
    assert "http://testserver/regioner/kalmar/digital-omstallning/" in urls
    assert "http://testserver/teman/cirkular-ekonomi/" in urls
    assert "http://testserver/regioner/gotland/besoksnaring/" not in urls  # a draft
    assert len(urls) == 2 * (7 + 21 + 55 + 16 + 2)  # every page in Swedish and with the English interface
    assert "http://testserver/en/regioner/kalmar/digital-omstallning/" in urls
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots


@pytest.mark.parametrize(
    "url, expected_title",
    [
        ("/insatsomraden/flode/", "Vägar till hållbar utveckling: nya och ändrade insatsområden"),
        ("/regioner/kalmar/flode/", "Region Kalmar län: nya och ändrade insatsområden"),
        ("/teman/besoksnaring/flode/", "Besöksnäring: nya och ändrade insatsområden"),
    ],
)
def test_feeds_parse_and_hold_only_published_work(client, unpublished_and_hidden, url, expected_title):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}title").text == expected_title
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles and "Besöksnäring (Region Gotland)" not in titles
    if "kalmar" in url:
        assert all(title.endswith("(Region Kalmar län)") for title in titles) and len(titles) == 5


def test_pages_link_their_feeds(client):
    html = client.get(reverse("region_detail", args=["kalmar"])).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in html and 'href="/regioner/kalmar/flode/"' in html
    assert 'href="/teman/besoksnaring/flode/"' in client.get("/teman/besoksnaring/").content.decode()
    assert client.get("/teman/finns-inte/flode/").status_code == 404


def read_csv(response):
    content = response.getvalue().decode("utf-8")  # streamed, or sent as a file
    assert content.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))


def test_csv_has_the_same_rows_as_the_filtered_list(client, unpublished_and_hidden):
    params = {"region": ["kalmar", "gotland"], "tema": "digitalisering", "q": "digital"}
    rows = read_csv(client.get(reverse("focus_area_csv"), params))
    html = client.get(reverse("focus_area_list"), params).content.decode()
    assert [row["insatsområde"] for row in rows] == ["Digital omställning för en hållbar regional utveckling"]
    assert "Digital omställning för en hållbar regional utveckling" in html
    everything = read_csv(client.get(reverse("focus_area_csv")))
    assert len(everything) == 55 and "Besöksnäring" not in {
        r["insatsområde"] for r in everything if r["region"] == "Region Gotland"
    }
    kronoberg = next(r for r in everything if r["insatsområde"].startswith("Hållbarhetssäkring"))
    assert kronoberg["länskod"] == "07" and "Hållbarhet i företagsstöd" in kronoberg["obligatoriskt område"]


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"region": "nope"}, "region: okänt värde ”nope”"),
        ({"region": ["kalmar", "nope"], "tema": "digitalisering"}, "region: okänt värde ”nope”"),
        ({"tema": "x", "dimension": "gron"}, "tema: okänt värde ”x”; dimension: okänt värde ”gron”"),
        ({"omrade": "x"}, "omrade: okänt värde ”x”"),
        ({"agenda2030": "99"}, "agenda2030:"),
        ({"sortera": "pris"}, "sortera:"),
        ({"q": "a\x00b"}, "q:"),
    ],
)
def test_a_selection_the_csv_cannot_make_is_a_400_that_says_why(client, params, said):
    # Found in review: a download with a value that matches nothing (?region=nope) was a 200 with only the
    # header row, and one with a malformed value (?agenda2030=99) was the catalogue with that filter left
    # out, both without a word. The list can say so beside its results; a file cannot, so it is refused, as
    # the API does.
    response = client.get(reverse("focus_area_csv"), params)
    text = response.content.decode()
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert said in text and "/insatsomraden/" in text


def test_a_csv_link_from_the_list_always_downloads(client):
    # The list leaves unknown values out and says so; the CSV link it shows is for what it shows.
    html = client.get(reverse("focus_area_list"), {"region": ["kalmar", "nope"]}).content.decode()
    link = re.search(r'href="(/insatsomraden/ladda-ner\.csv[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 200 and {row["region"] for row in read_csv(response)} == {
        "Region Kalmar län"
    }


@pytest.mark.parametrize(
    "value, safe",
    [("=SUM(A1)", "'=SUM(A1)"), ("+46", "'+46"), ("-1", "'-1"), ("@x", "'@x"), ("Älvsbyn", "Älvsbyn")],
)
def test_csv_cells_that_look_like_formulas_are_neutralised(value, safe):
    assert safe_cell(value) == safe


def test_csv_injection_through_content(client):
    FocusArea.objects.filter(region__slug="gotland", slug="besoksnaring").update(
        title='=HYPERLINK("http://x")'
    )
    rows = read_csv(client.get(reverse("focus_area_csv"), {"region": "gotland"}))
    assert '\'=HYPERLINK("http://x")' in [row["insatsområde"] for row in rows]


def test_json_download_is_the_whole_published_catalogue_without_hidden_contacts(
    client, unpublished_and_hidden
):
    response = client.get(reverse("catalogue_json"))
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.getvalue().decode()
    data = json.loads(text)
    assert data["license"]["name"] == "CC0 1.0 Universal"
    assert len(data["regions"]) == 21
    assert sum(len(r["focus_areas"]) for r in data["regions"]) == 55
    assert "William Cöster" not in text and "Martina Almqvist" in text
    kalmar = next(r for r in data["regions"] if r["slug"] == "kalmar")
    digital = next(fa for fa in kalmar["focus_areas"] if fa["slug"] == "digital-omstallning")
    assert digital["activities"][0]["source"]["publisher"] == "Region Kalmar län"
    assert {c["name"] for c in digital["contacts"]} == {"Emma Lee", "Anna Karlsson"}


def test_the_licence_is_stated_on_the_site(client):
    assert "CC0 1.0" in client.get("/").content.decode()
    assert "creativecommons.org/publicdomain/zero/1.0" in client.get("/om/").content.decode()


# --- DCAT-AP-SE ----------------------------------------------------------------------------------


def test_dcat_ap_se_description_parses_and_has_the_mandatory_properties(client):
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    vcard = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
    response = client.get("/datasets/dcat")
    assert response["Content-Type"].startswith("application/rdf+xml")
    graph = rdflib.Graph().parse(data=response.content, format="xml")

    def languages(subject, predicate):
        return {literal.language for literal in graph.objects(subject, predicate)}

    (catalog,) = graph.subjects(RDF.type, DCAT.Catalog)
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert (catalog, DCAT.dataset, dataset) in graph
    for subject in (catalog, dataset):
        assert languages(subject, DCTERMS.title) == {"sv", "en"}
        assert languages(subject, DCTERMS.description) == {"sv", "en"}
        publisher = graph.value(subject, DCTERMS.publisher)
        assert str(graph.value(publisher, FOAF.name)) in {
            "Tillväxtverket",
            "Swedish Agency for Economic and Regional Growth",
        }
    assert graph.value(catalog, DCTERMS.license) == rdflib.URIRef(
        "http://creativecommons.org/publicdomain/zero/1.0/"
    )

    contact = graph.value(dataset, DCAT.contactPoint)
    assert str(graph.value(contact, vcard.fn)) == "Tillväxtverket"
    assert str(graph.value(contact, vcard.hasEmail)).startswith("mailto:")
    themes = {str(theme).rsplit("/", 1)[1] for theme in graph.objects(dataset, DCAT.theme)}
    assert {"REGI", "ECON", "ENVI", "SOCI"} == themes
    assert "Cirkulär ekonomi" in {str(k) for k in graph.objects(dataset, DCAT.keyword)}
    assert graph.value(dataset, DCTERMS.modified) is not None

    distributions = list(graph.objects(dataset, DCAT.distribution))
    assert len(distributions) == 3
    urls = set()
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        urls.add(str(graph.value(distribution, DCAT.accessURL)))
        assert graph.value(distribution, DCTERMS.license) is not None
        assert graph.value(distribution, DCAT.mediaType) is not None
    assert urls == {
        "http://testserver/api/v1/",
        "http://testserver/insatsomraden/ladda-ner.json",
        "http://testserver/insatsomraden/ladda-ner.csv",
    }
    for url in urls:  # every distribution answers
        assert client.get(url.replace("http://testserver", "")).status_code in (
            200,
            404 if url.endswith("/v1/") else 200,
        )


def test_a_big_sitemap_comes_in_pages_of_at_most_1000_addresses(client, settings):
    from portal.sitemaps import FocusAreas

    FocusAreas.limit = 10  # as if the catalogue were fifty times bigger
    try:
        index = client.get("/sitemap.xml").content.decode()
        assert "/sitemap-insatsomraden.xml?p=12" in index and "?p=13" not in index  # 2 × 56 in pages of 10
        assert len(sitemap_addresses(client)) == 2 * (7 + 21 + 56 + 16 + 2)
    finally:
        del FocusAreas.limit
    assert client.get("/sitemap-insatsomraden.xml?p=99").status_code == 404
    assert client.get("/sitemap-finns-inte.xml").status_code == 404


def test_a_sitemap_section_is_the_xml_djangos_template_writes(client, rf):
    # A section's XML is written in Python (portal/sitemaps.py: urlset_xml), for speed: it must stay what
    # Django's own sitemap.xml template makes of the same addresses, dates and alternates, byte for byte.
    from datetime import UTC, datetime

    from django.contrib.sitemaps import views as sitemaps_views
    from django.template.loader import render_to_string

    from portal.sitemaps import SITEMAPS, urlset_xml

    # A date late in the UTC day, which is already the next day in Stockholm: the template's |date.
    FocusArea.objects.filter(pk=FocusArea.objects.published().first().pk).update(
        edited_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    )
    for section in SITEMAPS:
        request = rf.get(f"/sitemap-{section}.xml")
        urlset = sitemaps_views.sitemap(request, sitemaps=SITEMAPS, section=section).context_data["urlset"]
        assert urlset_xml(urlset) == render_to_string("sitemap.xml", {"urlset": urlset}), section
    assert "<lastmod>2026-03-02</lastmod>" in client.get("/sitemap-insatsomraden.xml").content.decode()
    odd = [
        {
            "location": "https://example.se/?a=1&b=<2>",
            "lastmod": datetime(2026, 1, 2).date(),
            "changefreq": "weekly",
            "priority": "0.5",
            "alternates": [{"location": "https://example.se/en/?a=1&b='3'", "lang_code": "en"}],
        },
        {
            "location": "https://example.se/",
            "lastmod": None,
            "changefreq": None,
            "priority": "",
            "alternates": [],
        },
    ]
    assert urlset_xml(odd) == render_to_string("sitemap.xml", {"urlset": odd})
