"""Region and insatsområde pages, the start page's region list, 404. Query counts: test_query_counts.py."""

import re

import pytest
from django.urls import reverse

from initiatives.models import Status

from .factories import make_activity, make_contact, make_focus_area, make_link, make_region, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def gotland():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    theme = make_theme(name="Besöksnäring", slug="besoksnaring")
    tourism = make_focus_area(region=region, title="Besöksnäring", slug="besoksnaring", themes=[theme])
    make_activity(tourism, title="Nulägesanalys för hållbarhet", body="Kunskapsinhämtning.")
    make_focus_area(region=region, title="Hemligt utkast", slug="utkast", status=Status.DRAFT)
    make_contact(region, name="William Cöster", phone="070-447 67 31")
    make_contact(region, name="Dold Person", is_public=False)
    make_link(region, label="Projektets hemsida", url="")
    return region


def test_start_page_lists_every_region(client, gotland):
    make_region(name="Region Blekinge", slug="blekinge")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="sv"' in html and 'href="#main"' in html
    assert 'href="/regioner/gotland/"' in html and "Region Blekinge" in html
    assert "1 insatsområde<" in html  # the draft is not counted


def test_region_page_shows_published_work_activities_and_contacts(client, gotland):
    response = client.get(reverse("region_detail", args=["gotland"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="sv">Region Gotland</h1>' in html
    # The region page is a fact sheet: a card per insatsområde, its activities counted and on its own page.
    assert 'href="/regioner/gotland/besoksnaring/">Besöksnäring</a>' in html and "1 aktivitet<" in html
    assert "Nulägesanalys för hållbarhet" not in html
    assert 'href="tel:+46704476731">070-447 67 31</a>' in html
    assert "Hemligt utkast" not in html and "Dold Person" not in html
    # A link whose address the source lost is not shown as if it were one: "Om uppgifterna" names it.
    assert '<li lang="sv">Projektets hemsida</li>' in html and "1 länk i källtexten saknar adress" in html
    assert "adressen saknas i källtexten" not in html


def test_focus_area_page(client, gotland):
    response = client.get(reverse("focus_area_detail", args=["gotland", "besoksnaring"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nulägesanalys för hållbarhet" in html
    # No contact named for the area: the page says so and points to the region's.
    assert "Källtexten namnger ingen kontakt för insatsområdet" in html
    assert 'href="/regioner/gotland/#kontakter">kontaktpersonerna för Gotland</a>' in html


def test_drafts_and_unknown_pages_are_404_with_a_helpful_page(client, gotland):
    assert client.get(reverse("focus_area_detail", args=["gotland", "utkast"])).status_code == 404
    assert client.get("/regioner/gotland/finns-inte/").status_code == 404
    response = client.get("/regioner/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "lands_on"),
    [
        ("/regioner/Gotland/", "/regioner/gotland/"),
        (
            "/en/regioner/GOTLAND/Besoksnaring/?kontakter=alla",
            "/en/regioner/gotland/besoksnaring/?kontakter=alla",
        ),
        # Found in review: Swedish letters, as a Swede types them, are spelt without their marks in addresses.
        ("/Teman/Besöksnäring/", "/teman/besoksnaring/"),
        ("/regioner/gotland/besöksnäring/", "/regioner/gotland/besoksnaring/"),
        ("/jämför/?region=gotland", "/jamfor/?region=gotland"),
        ("//Example.com/", "/example.com/"),  # never to another site
        ("/\\Example.com/", "/%5Cexample.com/"),  # a backslash, which browsers read as a slash
    ],
)
def test_an_address_typed_as_a_person_spells_it_leads_to_its_page(client, gotland, typed, lands_on):
    # Found trying it: /regioner/Kalmar/, as a person types a name or a text links it, was "Sidan finns inte".
    path, _, query = typed.partition("?")
    # As the server hands it over (the test client would read "//Example.com/" as a host).
    response = client.get("/", PATH_INFO=path.encode().decode("iso-8859-1"), QUERY_STRING=query)
    assert response.status_code == 301 and response["Location"] == lands_on


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [("/insatsomraden/", "sv", "Felaktig förfrågan"), ("/en/insatsomraden/", "en", "Bad request")],
)
def test_too_many_parameters_is_a_page_in_the_sites_language(client, gotland, path, language, heading):
    # Found in review: 1,001 parameters (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS) gave a bare English
    # "Bad Request (400)", on the Swedish pages too.
    response = client.get(path + "?" + "&".join(["a="] * 1001))
    html = response.content.decode()
    assert (
        response.status_code == 400 and f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html
    )


def test_no_search_box_can_make_an_address_longer_than_the_server_takes(client, gotland):
    # Found in review: 2,000 characters of å, ä and ö in the search page's box made an address of 12 kB, and
    # gunicorn answered with its own English "414 URI Too Long" (its request line is at most 4,094 bytes).
    for path in ["/", "/sok/?q=x", "/insatsomraden/", "/finns-inte/"]:
        for length in re.findall(
            r'type="search" name="q"[^>]*maxlength="(\d+)"', client.get(path).content.decode()
        ):
            assert int(length) * len("%C3%A5") + len("GET /en/insatsomraden/?q= HTTP/1.1") < 4094


def test_a_lower_case_address_that_does_not_exist_is_a_404_not_a_redirect(client, gotland):
    assert client.get("/regioner/finns-inte/").status_code == 404
    assert client.get("/Regioner/Finns-Inte/", follow=True).redirect_chain == [("/regioner/finns-inte/", 301)]


def test_text_from_the_database_is_escaped(client):
    region = make_region(slug="x", introduction='<script>alert("x")</script>\n\n• punkt ett\n• punkt två')
    html = client.get(reverse("region_detail", args=["x"])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<ul><li>punkt ett</li><li>punkt två</li></ul>" in html
    assert region.name in html


def test_region_list(client, gotland):
    response = client.get(reverse("region_list"))
    assert response.status_code == 200
    assert 'href="/regioner/gotland/besoksnaring/"' in response.content.decode()


def test_regions_are_in_swedish_alphabetical_order(client):
    for name in ["Östergötland", "Västra Götaland", "Örebro", "Gävleborg", "Gotland", "Norrbotten"]:
        make_region(name=f"Region {name}", short_name=name)
    expected = ["Gotland", "Gävleborg", "Norrbotten", "Västra Götaland", "Örebro", "Östergötland"]
    for url in (reverse("home"), reverse("region_list")):
        html = client.get(url).content.decode()
        positions = [html.index(f"Region {name}<") for name in expected]
        assert positions == sorted(positions), url


def test_activities_from_another_source_are_attributed_once(client):
    from .factories import make_source

    region = make_region(slug="kalmar")
    area = make_focus_area(region=region, slug="digital", source=make_source(title="Översikten"))
    other = make_source(title="Regionens sida", publisher="Region Kalmar län")
    for title in ("Landsbygdskontor", "Öppna data", "Digital coach"):
        make_activity(area, title=title, source=other, source_section="Digital omställning")
    html = client.get(reverse("focus_area_detail", args=["kalmar", "digital"])).content.decode()
    # One "Om uppgifterna" box names each source once, with the sections used, not a line per activity.
    box = html.split('id="om-uppgifterna"')[1]
    attribution = '<span lang="sv">Region Kalmar län</span>: <cite lang="sv">Regionens sida</cite>'
    assert box.count(attribution) == 1 and box.count('<li lang="sv">Digital omställning</li>') == 1
    assert "Översikten</cite>" in box
    for page in ("focus_area_detail", "region_detail"):
        args = ["kalmar", "digital"] if page == "focus_area_detail" else ["kalmar"]
        assert client.get(reverse(page, args=args)).content.decode().count("Källa:") == 0, page


def test_pages_show_a_bounded_amount_and_link_to_the_rest(client):
    region = make_region(name="Region Stor", short_name="Stor", slug="stor", county_code="03")
    for n in range(25):
        make_focus_area(region=region, title=f"Arbete {n:02}", slug=f"arbete-{n}")
    html = client.get(reverse("region_detail", args=["stor"])).content.decode()
    assert html.count('<li class="card">') == 20
    # Said before the cards, not only after them.
    assert (
        'De första 20 av 25, i regionens ordning. <a href="/insatsomraden/?region=stor">Alla i listan</a>'
        in html
    )
    assert 'href="/insatsomraden/?region=stor">Alla 25 insatsområden i regionen</a>' in html
    html = client.get(reverse("region_list")).content.decode()
    assert "Arbete 09" in html and "Arbete 10" not in html
    # Every region's link has its own accessible name (a review found six called "Alla 264 insatsområden").
    assert (
        'href="/insatsomraden/?region=stor">Alla 25 insatsområden<span class="visually-hidden"> '
        'i <span lang="sv">Stor</span></span></a>'
    ) in html


def test_themes_and_vocabularies_are_in_order_wherever_they_are_counted(client):
    """Lists with a count (a GROUP BY) lose Meta.ordering in Django, and then came in the database's
    order: on PostgreSQL, the theme list, the filter's facets and the API were shuffled."""
    from initiatives.models import Dimension, MandatoryArea, SdgGoal

    region = make_region()
    # Created out of order, so that neither insertion order nor the keys give the right one by chance.
    names = ["Övrigt", "Kompetens", "Ägande", "Digitalisering", "Arbetsmarknad", "Besöksnäring"]
    themes = [make_theme(name=name, slug=f"t{i}") for i, name in enumerate(names)]
    second = MandatoryArea.objects.create(number=2, slug="andra", title="Andra området")
    first = MandatoryArea.objects.create(number=1, slug="forsta", title="Första området")
    for area in (
        make_focus_area(region=region, themes=themes, mandatory_area=first),
        make_focus_area(region=region, themes=themes[:2], mandatory_area=second),
    ):
        area.dimensions.set(Dimension.objects.all())
        area.sdg_goals.set(SdgGoal.objects.all())
    expected = ["Arbetsmarknad", "Besöksnäring", "Digitalisering", "Kompetens", "Ägande", "Övrigt"]

    def in_order(html, labels):
        positions = [html.index(label) for label in labels]
        return positions == sorted(positions)

    for url in ("/", "/teman/", "/insatsomraden/"):
        assert in_order(client.get(url).content.decode(), [f"{name}<" for name in expected]), url
    facets = client.get("/insatsomraden/").content.decode()
    assert in_order(facets, ["Första området", "Andra området"])
    dimensions = list(Dimension.objects.order_by("order").values_list("slug", flat=True))
    assert in_order(facets, [f'value="{slug}"' for slug in dimensions])
    assert in_order(
        facets, [f'value="{n}"' for n in SdgGoal.objects.order_by("number").values_list("number", flat=True)]
    )
    assert [t["name"] for t in client.get("/api/v1/themes/").json()] == expected
    assert [a["number"] for a in client.get("/api/v1/mandatory-areas/").json()] == [1, 2]


def test_a_region_with_many_contacts_shows_twenty_and_links_to_all(client, db):
    # At 100 times today's data a region had 149 contacts on its page: the page grew with the staff.
    from regions.views import REGION_PAGE_CONTACTS

    region = make_region(name="Region Stor", short_name="Stor", slug="stor")
    for n in range(REGION_PAGE_CONTACTS + 5):
        make_contact(region, name=f"Kontakt {n:02d}")
    page = client.get("/regioner/stor/").content.decode()
    assert page.count('<li class="contact">') == REGION_PAGE_CONTACTS
    assert f"<strong>{REGION_PAGE_CONTACTS + 5}</strong> kontaktpersoner" in page  # the total, not the shown
    assert "Kontakt 24" not in page and 'href="?kontakter=alla#kontakter"' in page
    everyone = client.get("/regioner/stor/?kontakter=alla").content.decode()
    assert all(f"Kontakt {n:02d}" in everyone for n in range(REGION_PAGE_CONTACTS + 5))
    assert 'href="?kontakter=alla#kontakter"' not in everyone
