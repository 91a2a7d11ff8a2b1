"""Content with markup, event handlers, javascript: addresses or broken Unicode is shown inert everywhere
it is published: every page type, the feeds, the downloads and the API. Plus CSRF and open redirects."""

import json
import re
from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import User
from django.test import Client

from editorial.permissions import EDITOR_GROUP
from initiatives.models import Link

from .factories import (
    make_activity,
    make_contact,
    make_focus_area,
    make_link,
    make_region,
    make_staff,
    make_theme,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
HANDLER = '<img src=x onerror="alert(1)">'
BROKEN = "trasig \u202etxet\u202c \x07\x1b Ã¥Ã¤Ã¶ \u200b e\u0301 \ufffd"  # controls, RTL override, mojibake
PAYLOAD = f"{SCRIPT} {HANDLER} {BROKEN}"


@pytest.fixture
def hostile():
    region = make_region(
        name=f"Region {SCRIPT}", short_name=HANDLER, slug="farlig", county_code="25", introduction=PAYLOAD
    )
    theme = make_theme(name=f"Tema {HANDLER}", slug="farligt-tema", description=PAYLOAD)
    area = make_focus_area(
        region=region, title=f"Rubrik {SCRIPT}", slug="farligt", summary=PAYLOAD, body=PAYLOAD, themes=[theme]
    )
    make_activity(area, title=HANDLER, body=PAYLOAD)
    make_contact(region, focus_areas=[area], name=f"Namn {SCRIPT}", role=HANDLER, organisation=BROKEN)
    # Saved around the admin's validation (which refuses it), as an import or a bug might.
    make_link(region, focus_area=area, label=f"Länk {SCRIPT}", url="javascript:alert(document.cookie)")
    return area


PAGES = [
    "/",
    "/regioner/",
    "/regioner/farlig/",
    "/regioner/farlig/farligt/",
    "/insatsomraden/",
    "/insatsomraden/?tema=farligt-tema",
    "/teman/",
    "/teman/farligt-tema/",
    "/jamfor/?region=farlig",
    "/sok/?q=Rubrik",
    "/en/regioner/farlig/",
]


def assert_inert(text):
    lowered = text.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered and "onerror=" not in lowered.replace("onerror=&quot;", "")
    assert 'href="javascript:' not in lowered


@pytest.mark.parametrize("path", PAGES)
def test_hostile_content_is_inert_on_every_page(client, hostile, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert "&lt;script&gt;" in html  # shown as text, not dropped


def test_a_javascript_address_is_never_a_link(client, hostile):
    html = client.get("/regioner/farlig/farligt/").content.decode()
    assert "javascript:" not in html
    assert "Länk &lt;script&gt;" in html  # the label stays, as for a link without an address


@pytest.mark.parametrize(
    "path",
    [
        "/insatsomraden/flode/",
        "/regioner/farlig/flode/",
        "/teman/farligt-tema/flode/",
        "/sitemap-regioner.xml",
    ],
)
def test_feeds_escape_it(client, hostile, path):
    response = client.get(path)
    assert response.status_code == 200
    xml = response.content.decode()
    assert "<script>" not in xml and "<img src=x" not in xml
    ElementTree.fromstring(response.content)  # well-formed: the control characters are gone


def test_downloads_and_the_api_carry_it_as_data(client, hostile):
    csv = client.get("/insatsomraden/ladda-ner.csv").getvalue().decode("utf-8-sig")
    assert "Rubrik <script>" in csv  # CSV is data; spreadsheets do not run it
    catalogue = json.loads(client.get("/insatsomraden/ladda-ner.json").getvalue())
    titles = [area["title"] for region in catalogue["regions"] for area in region["focus_areas"]]
    assert f"Rubrik {SCRIPT}" in titles
    response = client.get("/api/v1/focus-areas/?region=farlig")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"][0]["title"] == f"Rubrik {SCRIPT}"


def test_the_admin_refuses_a_javascript_address():
    from django.forms import modelform_factory

    form = modelform_factory(Link, fields=["url"])({"url": "javascript:alert(1)"})
    assert not form.is_valid() and "url" in form.errors


def test_csrf_is_enforced_on_every_post(hostile):
    editor = make_staff("redaktor", EDITOR_GROUP)
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    change = f"/admin/initiatives/focusarea/{hostile.pk}/change/"
    for path in [change, "/admin/login/", "/admin/logout/", "/admin/password_change/"]:
        assert client.post(path, {"title": "Kapad"}).status_code == 403, path
    hostile.refresh_from_db()
    assert hostile.title.startswith("Rubrik")
    assert Client(enforce_csrf_checks=True).post("/sok/", {"q": "x"}).status_code in (403, 405)


EXTERNAL = ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]


@pytest.mark.parametrize("target", EXTERNAL)
def test_login_refuses_external_redirects(client, target):
    User.objects.create_user("redaktor", password="ett-långt-lösenord", is_staff=True)
    response = client.post(
        "/admin/login/", {"username": "redaktor", "password": "ett-långt-lösenord", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"  # the default, not the address asked for


@pytest.mark.parametrize(
    "path", ["/regioner/farlig/?next=https://evil.example/", "//evil.example/", "/en//evil.example/"]
)
def test_the_language_switch_only_ever_links_within_the_site(client, hostile, path):
    html = client.get(path).content.decode()
    switch = html.split('class="language-switch"')[1].split("</ul>")[0]
    hrefs = re.findall(r'href="([^"]*)"', switch)
    assert hrefs and all(href.startswith("/") and not href.startswith("//") for href in hrefs), hrefs
