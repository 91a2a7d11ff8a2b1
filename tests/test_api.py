"""The JSON API under /api/v1/: shapes against its own OpenAPI description, parity with the HTML list,
published only, hidden contacts never, JSON errors, conditional GET and CORS."""

import json
import re

import jsonschema
import pytest
from django.urls import reverse

from contacts.models import Contact
from initiatives.models import FocusArea, Status

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture
def openapi(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.")
    return document


def validate(document, path, status, body):
    """Validate a real response body against the schema the OpenAPI document gives for it."""
    operation = document["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    jsonschema.validate(
        body, {**schema, "components": document["components"]}, cls=jsonschema.Draft202012Validator
    )


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_the_description_says_a_regions_list_of_insatsomraden_is_its_first_20(openapi):
    # Found trying it: a client reading /api/v1/regions/<slug>/ could not tell the list was cut short.
    region = openapi["components"]["schemas"]["RegionOut"]["properties"]
    assert "first 20" in region["focus_areas"]["description"]
    assert "focus_area_count" in region["focus_areas"]["description"]
    assert "20 a page" in region["focus_areas_url"]["description"]


def test_the_description_gives_the_length_the_text_filter_takes(client, openapi):
    # Found in review: `q` over 200 characters is a 400, which the description did not say.
    parameters = openapi["paths"]["/api/v1/focus-areas/"]["get"]["parameters"]
    q = next(p for p in parameters if p["name"] == "q")
    assert "200" in q["description"]
    assert client.get("/api/v1/focus-areas/", {"q": "a" * 201}).status_code == 400


@pytest.mark.parametrize(
    "url, path",
    [
        ("/api/v1/", "/api/v1/"),
        ("/api/v1/regions/", "/api/v1/regions/"),
        ("/api/v1/regions/kalmar/", "/api/v1/regions/{slug}/"),
        ("/api/v1/focus-areas/", "/api/v1/focus-areas/"),
        ("/api/v1/focus-areas/?tema=cirkular-ekonomi&sida=1", "/api/v1/focus-areas/"),
        ("/api/v1/themes/", "/api/v1/themes/"),
        ("/api/v1/mandatory-areas/", "/api/v1/mandatory-areas/"),
    ],
)
def test_responses_match_the_openapi_description(client, openapi, url, path):
    validate(openapi, path, 200, get_json(client, url))


@pytest.mark.parametrize(
    "url, path, status",
    [
        ("/api/v1/regions/finns-inte/", "/api/v1/regions/{slug}/", 404),
        ("/api/v1/focus-areas/?region=finns-inte", "/api/v1/focus-areas/", 400),
        ("/api/v1/focus-areas/?agenda2030=18", "/api/v1/focus-areas/", 400),
        ("/api/v1/focus-areas/?sida=999", "/api/v1/focus-areas/", 400),
        ("/api/v1/focus-areas/?sida=abc", "/api/v1/focus-areas/", 400),
        ("/api/v1/focus-areas/?q=" + "x" * 300, "/api/v1/focus-areas/", 400),
        ("/api/v1/focus-areas/?sortera=pris", "/api/v1/focus-areas/", 400),
    ],
)
def test_errors_are_json_with_a_message(client, openapi, url, path, status):
    body = get_json(client, url, status=status)
    assert body["detail"]
    validate(openapi, path, status, body)


def test_regions(client):
    regions = get_json(client, "/api/v1/regions/")
    assert len(regions) == 21
    kalmar = next(r for r in regions if r["slug"] == "kalmar")
    assert kalmar == {
        "slug": "kalmar",
        "name": "Region Kalmar län",
        "county_code": "08",
        "url": "http://testserver/api/v1/regions/kalmar/",
        "html_url": "http://testserver/regioner/kalmar/",
        "focus_area_count": 5,
    }
    detail = get_json(client, kalmar["url"])
    digital = next(fa for fa in detail["focus_areas"] if fa["slug"] == "digital-omstallning")
    assert digital["activities"][0]["title"] == "Landsbygdskontor"
    assert {c["name"] for c in digital["contacts"]} == {"Emma Lee", "Anna Karlsson"}
    assert detail["contacts"][0]["phone_e164"] == "+46480448382"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": ["kalmar", "gotland"]},
        {"tema": ["cirkular-ekonomi", "besoksnaring"], "dimension": "miljomassig"},
        {"omrade": "hallbarhet-i-foretagsstod-och-projektmedel"},
        {"agenda2030": "5"},
        {"q": "besöksnäringen"},
        {"sortera": "rubrik", "sida": "2"},
    ],
)
def test_same_filters_same_results_as_the_html_list(client, params):
    api = get_json(client, "/api/v1/focus-areas/", params)
    html = client.get(reverse("focus_area_list"), params).content.decode()
    html_titles = re.findall(r'<h3 lang="sv"><a href="[^"]+">([^<]+)</a></h3>', html)
    html_count = int(re.search(r'role="status">(\d+) insatsområde', html).group(1))
    assert api["count"] == html_count
    assert [fa["title"] for fa in api["results"]] == [t.replace("&amp;", "&") for t in html_titles]


def test_pagination_links(client):
    first = get_json(client, "/api/v1/focus-areas/", {"tema": "ledarskap-och-styrning"})
    assert first["count"] > 20 and first["previous"] is None
    second = get_json(client, first["next"])
    assert second["previous"].endswith("sida=1") and second["results"][0] != first["results"][0]


def test_only_published_work_and_never_hidden_contacts(client):
    FocusArea.objects.filter(region__slug="gotland", slug="besoksnaring").update(status=Status.DRAFT)
    Contact.objects.filter(name__in=["William Cöster", "Emma Lee"]).update(is_public=False)
    everything = "".join(
        client.get(url).content.decode()
        for url in [
            "/api/v1/regions/gotland/",
            "/api/v1/regions/kalmar/",
            "/api/v1/focus-areas/?region=gotland",
        ]
    )
    assert "William Cöster" not in everything and "Emma Lee" not in everything
    assert '"slug": "besoksnaring"' not in client.get("/api/v1/regions/gotland/").content.decode()
    assert get_json(client, "/api/v1/regions/")[7]["focus_area_count"] == 5  # Kalmar unchanged


def test_conditional_get(client):
    response = client.get("/api/v1/regions/")
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/api/v1/regions/", headers={"if-none-match": etag}).status_code == 304
    # Answered by the ETag alone: Last-Modified is whole seconds, and two edits can fall in one second.
    assert (
        modified
        and client.get("/api/v1/regions/", headers={"if-modified-since": modified}).status_code == 200
    )
    # A change to the catalogue is a new version.
    area = FocusArea.objects.get(region__slug="gotland", slug="besoksnaring")
    area.summary = "Ny ingress."
    area.save()
    changed = client.get("/api/v1/regions/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("slug", ["%00", "kal%00mar", "%C3%A5", "a b", "..", "x" * 300])
def test_a_region_address_that_cannot_be_a_slug_is_a_json_404(client, slug):
    # Found by tests/test_fuzz.py on PostgreSQL: a NUL in the address was a 500 (PostgreSQL refuses NUL).
    response = client.get(f"/api/v1/regions/{slug}/")
    assert response.status_code == 404 and "No region is called" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v1/focus-areas/kalmar/", "/api/v2/"])
def test_an_api_address_that_does_not_exist_is_a_json_404(client, path):
    # Found in review: unknown paths under /api/ answered with the site's HTML 404 page.
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("There is no such address in the API")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.fixture
def editor():
    from editorial.permissions import EDITOR_GROUP

    from .factories import make_staff

    return make_staff("redaktor", EDITOR_GROUP)


def _not_modified(client, url, etag):
    return client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_an_edited_activity_is_a_new_version_of_the_focus_areas(app, client, editor):
    # Found in issue 19: the ETag came only from insatsområden's, regions' and contacts' updated_at and
    # counts, so after an activity was edited the API still answered 304 and clients kept the old text.
    from .admin_forms import change_form, errors

    url = "/api/v1/focus-areas/?region=gotland"
    etag = client.get(url)["ETag"]
    area = FocusArea.objects.filter(region__slug="gotland", activities__isnull=False).first()
    form = change_form(app, area, editor)
    form["activities-0-body"] = form["activities-0-body"].value + " Nu också solceller."
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    assert not _not_modified(client, url, etag)
    assert "Nu också solceller." in client.get(url).content.decode()


def test_the_parts_the_api_shares_are_new_after_an_edit(app, client, editor, settings):
    # Without the page cache (a page no one has asked for since the edit) the API is built from each
    # insatsområde's payload, kept per catalogue version (portal/fragments.py): an edit must reach every
    # address that shows the insatsområde, the region's detail too.
    from .admin_forms import change_form, errors

    settings.PAGE_CACHE_SECONDS = 0
    area = FocusArea.objects.filter(region__slug="gotland", activities__isnull=False).first()
    addresses = ["/api/v1/focus-areas/?region=gotland", "/api/v1/regions/gotland/", "/api/v1/focus-areas/"]
    before = [client.get(url).content.decode() for url in addresses]
    assert area.title in before[0] and area.title in before[1]
    form = change_form(app, area, editor)
    form["title"] = area.title + " och solceller"
    form["activities-0-body"] = form["activities-0-body"].value + " Nu också solceller."
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    for url in addresses[:2]:
        after = client.get(url).content.decode()
        assert area.title + " och solceller" in after and "Nu också solceller." in after, url


def test_a_renamed_theme_is_a_new_version_of_the_themes(app, client, editor):
    from initiatives.models import Theme

    from .admin_forms import change_form, errors

    etag = client.get("/api/v1/themes/")["ETag"]
    form = change_form(app, Theme.objects.get(slug="besoksnaring"), editor)
    form["name"] = "Besöksnäring och turism"
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)
    assert not _not_modified(client, "/api/v1/themes/", etag)
    assert "Besöksnäring och turism" in client.get("/api/v1/themes/").content.decode()


def test_every_change_to_the_catalogue_is_a_new_version_of_the_api(client):
    # An activity saved on its own (a history restore, an import) leaves its insatsområde's updated_at as
    # it was: the ETag must follow the catalogue version, not the insatsområden's timestamps.
    from initiatives.models import Activity

    url = "/api/v1/focus-areas/?region=gotland"
    etag = client.get(url)["ETag"]
    activity = Activity.objects.filter(focus_area__region__slug="gotland").first()
    activity.body += " Nu också vätgas."
    activity.save()
    assert not _not_modified(client, url, etag)
    assert "Nu också vätgas." in client.get(url).content.decode()


def test_a_regions_detail_is_bounded_and_links_to_all_its_focus_areas(client):
    # At 100 times today's data /api/v1/regions/kalmar/ was 505 kB: every insatsområde with its activities.
    from regions.models import Region

    from .factories import make_focus_area

    gotland = Region.objects.get(slug="gotland")
    for n in range(25):
        make_focus_area(region=gotland, title=f"Område {n:02d}", order=100 + n)
    detail = get_json(client, "/api/v1/regions/gotland/")
    assert len(detail["focus_areas"]) == 20 and detail["focus_area_count"] > 25
    listed, url = [], detail["focus_areas_url"]
    assert url == "http://testserver/api/v1/focus-areas/?region=gotland"
    while url:
        page = get_json(client, url.removeprefix("http://testserver"))
        listed += [fa["slug"] for fa in page["results"]]
        url = page["next"]
    assert len(listed) == detail["focus_area_count"] and len(set(listed)) == len(listed)


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/regions/", "/api/v1/focus-areas/", "/api/v1/themes/"])
def test_head_is_answered_like_get(client, path):
    """HEAD is what link checkers and monitors send; every other public address answers it."""
    get = client.get(path)
    head = client.head(path)
    assert head.status_code == 200 == get.status_code
    assert head["ETag"] == get["ETag"] and head["Content-Type"] == get["Content-Type"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions/",
        "/api/v1/openapi.json",
        "/insatsomraden/ladda-ner.csv",
        "/insatsomraden/ladda-ner.json",
    ],
)
def test_open_data_can_be_revalidated_from_another_site(client, path):
    """A script on another origin may read it, and may read the ETag to revalidate (CORS hides every header
    not exposed); the OpenAPI description is open data too, cached and revalidated like the rest."""
    for response in (client.get(path), client.get(path)):  # rendered, then from the cache
        assert response["Access-Control-Allow-Origin"] == "*"
        assert {"ETag", "Last-Modified"} <= {
            h.strip() for h in response["Access-Control-Expose-Headers"].split(",")
        }
        assert response.has_header("ETag")


def test_a_cors_preflight_is_answered(client):
    """A script on another site that sets If-None-Match itself makes the browser ask first (OPTIONS)."""
    response = client.options(
        "/api/v1/focus-areas/",
        headers={"origin": "https://example.org", "access-control-request-method": "GET",
                 "access-control-request-headers": "if-none-match"},
    )  # fmt: skip
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert client.post("/api/v1/focus-areas/").status_code == 405  # still read-only
