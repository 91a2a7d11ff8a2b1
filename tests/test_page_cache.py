"""Whole-page caching for anonymous visitors (portal/page_cache.py): fast when unchanged, never stale."""

import re

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path as route
from django.urls import reverse

from editorial.permissions import EDITOR_GROUP
from initiatives.models import FocusArea, Status
from portal.page_cache import public_page
from regions.models import CatalogueVersion

from .admin_forms import change_form, tick
from .database_gone import DatabaseGone
from .factories import make_activity, make_focus_area, make_region, make_staff, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    theme = make_theme(name="Kulturarv", slug="kulturarv")
    return make_focus_area(region=region, title="Besöksnäring", slug="besoksnaring", themes=[theme])


def queries(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    return response, len(captured)


def test_a_repeated_page_is_served_from_the_cache_with_one_query(client, area):
    first, cold = queries(client, "/regioner/gotland/")
    second, warm = queries(client, "/regioner/gotland/")
    assert cold > 3 and warm == 1  # only the catalogue version is read
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert "no-cache" in second["Cache-Control"]


def test_an_edit_shows_at_once(client, area):
    page = "/regioner/gotland/besoksnaring/"
    client.get(page)
    area.title = "Hållbar besöksnäring"
    area.save()
    assert "Hållbar besöksnäring" in client.get(page).content.decode()
    make_activity(area, title="Ny aktivitet")
    assert "Ny aktivitet" in client.get(page).content.decode()
    area.themes.clear()  # a relation alone changes the page too
    assert "Kulturarv" not in client.get(page).content.decode()


def test_an_admin_save_shows_at_once_on_every_cached_page(client, app, area):
    pages = ["/", "/regioner/", "/insatsomraden/", "/en/regioner/gotland/"]
    for path in pages:
        html = client.get(path).content.decode()
        # The start page lists only what a person has changed: nothing yet.
        assert ("Besöksnäring</a>" in html) == (path != "/"), path
    form = change_form(app, area, make_staff("redaktor", EDITOR_GROUP))
    form["title"] = "Turism"
    assert form.submit("_save").status_code == 302
    for path in pages:
        html = client.get(path).content.decode()
        assert "Turism</a>" in html and "Besöksnäring</a>" not in html, path


def words(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_counts_every_page_shares_follow_an_edit_without_the_page_cache(client, app, area, settings):
    # With the page cache off (a page no one has asked for since the edit), the regions' and themes'
    # counts and the list's facets are still kept per catalogue version (initiatives/catalogue_counts.py,
    # FocusAreaFilter.facets): every edit must change them on every page that shows them.
    settings.PAGE_CACHE_SECONDS = 0
    second = make_focus_area(region=area.region, title="Kulturmiljö", slug="kulturmiljo", themes=[])

    def shown():
        return {
            "start": words(client.get("/").content.decode()),
            "themes": words(client.get("/teman/").content.decode()),
            "theme": words(client.get("/teman/kulturarv/").content.decode()),
            "comparison": client.get("/jamfor/").content.decode(),
            # the list's facets, kept per version and the other filters' values (FocusAreaFilter.facets)
            "list": words(client.get("/insatsomraden/?sortera=rubrik").content.decode()),
        }

    before = shown()
    assert "Region Gotland 2 insatsområden" in before["start"]
    assert "Kulturarv 1 region, 1 insatsområde" in before["themes"]
    assert "Region Gotland 1 insatsområde" in before["theme"]
    assert '<td class="count-1">1</td>' in before["comparison"]
    assert "Gotland (2)" in before["list"] and "Kulturarv (1)" in before["list"]
    form = change_form(app, second, make_staff("redaktor", EDITOR_GROUP))
    tick(form, "themes", area.themes.get().pk)
    assert form.submit("_save").status_code == 302
    tagged = shown()
    assert "Kulturarv 1 region, 2 insatsområden" in tagged["themes"]
    assert "Region Gotland 2 insatsområden" in tagged["theme"]
    assert '<td class="count-2">2</td>' in tagged["comparison"]
    assert "Kulturarv (2)" in tagged["list"]
    form = change_form(app, area, make_staff("redaktor2", EDITOR_GROUP))
    form["status"] = Status.DRAFT
    assert form.submit("_save").status_code == 302
    drafted = shown()
    assert "Gotland (1)" in drafted["list"] and "Kulturarv (1)" in drafted["list"]
    assert "Region Gotland 1 insatsområde" in drafted["start"]
    assert "Kulturarv 1 region, 1 insatsområde" in drafted["themes"]
    assert (
        '<td class="count-1">1</td>' in drafted["comparison"]
        and '<td class="total">1</td>' in drafted["comparison"]
    )


def test_bulk_writes_bump_the_version_by_hand(client, area):
    client.get("/regioner/gotland/")
    FocusArea.objects.filter(pk=area.pk).update(status=Status.DRAFT)  # no signal: the seed's way
    CatalogueVersion.bump()
    assert "Besöksnäring" not in client.get("/regioner/gotland/").content.decode()


def test_conditional_get_answers_304_until_the_catalogue_changes(client, area):
    etag = client.get("/regioner/gotland/")["ETag"]
    response, count = queries(client, "/regioner/gotland/", if_none_match=etag)
    assert response.status_code == 304 and count == 1 and response.content == b""
    area.save()
    assert client.get("/regioner/gotland/", headers={"if-none-match": etag}).status_code == 200
    assert client.get("/en/regioner/gotland/")["ETag"] != etag  # each language its own


def test_staff_are_never_served_from_the_cache(client, area):
    client.get(reverse("region_detail", args=["gotland"]))
    client.force_login(make_staff("redaktor", EDITOR_GROUP))
    response, staff = queries(client, reverse("region_detail", args=["gotland"]))
    assert staff > 2
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_made_up_session_cookie_is_served_from_the_cache_like_anyone(client, area, settings):
    """Only a signed-in person skips the cache; any visitor could otherwise send `sessionid=x` to make every
    request a full render."""
    client.get("/regioner/gotland/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "inte-en-riktig-session"
    response, count = queries(client, "/regioner/gotland/")
    assert count == 2  # the version, and the session looked up and not found
    assert "public" in response["Cache-Control"] and response.has_header("ETag")


def test_a_rolled_back_edit_does_not_change_the_version(area):
    from django.db import transaction

    before = CatalogueVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        area.save()
        raise RuntimeError
    assert CatalogueVersion.current() == before


def test_the_version_row_exists_before_the_first_edit():
    # Made by a migration: two simultaneous first edits both increment it; neither creates it.
    assert CatalogueVersion.objects.get(pk=1).value >= 0
    before = CatalogueVersion.current()
    CatalogueVersion.bump()
    CatalogueVersion.bump()
    assert CatalogueVersion.current() == before + 2 and CatalogueVersion.objects.count() == 1


def test_while_the_database_is_away_a_cached_page_is_still_served(area, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    fresh = client.get("/regioner/gotland/")
    with connection.execute_wrapper(DatabaseGone(OperationalError)):
        stale = client.get("/regioner/gotland/")
        never_cached = client.get("/teman/")
        search = client.get("/insatsomraden/?q=bes")
    assert stale.status_code == 200 and stale.content == fresh.content
    # Not to be kept as current: no ETag, no-store; the browser asks again once the database is back.
    assert "ETag" not in stale and "no-store" in stale["Cache-Control"]
    assert never_cached.status_code == 503 and search.status_code == 503
    assert client.get("/regioner/gotland/").status_code == 200


# --- The search's pages: cached too, apart and bounded ---------------------------------------------


def test_a_repeated_search_is_served_from_its_own_bounded_cache(client, area, settings):
    from django.core.cache import caches

    first, cold = queries(client, "/sok/?q=besöksnäring")
    second, warm = queries(client, "/sok/?q=besöksnäring")
    assert cold > 1 and warm == 1  # only the catalogue version is read
    assert second.content == first.content and "Besöksnäring" in second.content.decode()
    assert len(caches["search"]._cache) == 1 and not caches["default"]._cache  # apart from the pages
    other = client.get("/sok/?q=kulturarv").content.decode()
    assert "Kulturarv" in other and other != first.content.decode()
    assert settings.CACHES["search"]["OPTIONS"]["MAX_ENTRIES"] <= 1000


def test_an_edit_shows_at_once_in_a_cached_search(client, area):
    assert "Besöksnäring" in client.get("/sok/?q=besöksnäring").content.decode()
    area.status = Status.DRAFT
    area.save()
    assert "/regioner/gotland/besoksnaring/" not in client.get("/sok/?q=besöksnäring").content.decode()


def test_free_text_in_the_list_and_the_api_is_cached_apart_by_its_normalised_query(client, area):
    from django.core.cache import caches

    first = client.get("/insatsomraden/?q=besöksnäring&region=gotland")
    # The same query, spelt otherwise: parameters in another order, spaces around the words.
    _, again = queries(client, "/insatsomraden/?region=gotland&q=++besöksnäring+")
    assert again == 1 and not caches["default"]._cache  # only the version read; none in the pages' cache
    assert client.get("/insatsomraden/?region=gotland&q=++besöksnäring+").content == first.content
    client.get("/api/v1/focus-areas/?q=besöksnäring")
    _, api = queries(client, "/api/v1/focus-areas/?q=besöksnäring")
    assert api == 1 and len(caches["search"]._cache) == 2 and not caches["default"]._cache


# --- Every public read, not only the HTML pages ------------------------------------------------------

PUBLIC_READS = [
    "/api/v1/",
    "/api/v1/regions/",
    "/api/v1/regions/gotland/",
    "/api/v1/focus-areas/",
    "/api/v1/focus-areas/?tema=kulturarv",
    "/api/v1/themes/",
    "/api/v1/mandatory-areas/",
    "/insatsomraden/ladda-ner.csv",
    "/insatsomraden/ladda-ner.csv?region=gotland",
    "/insatsomraden/ladda-ner.json",
    "/insatsomraden/flode/",
    "/regioner/gotland/flode/",
    "/teman/kulturarv/flode/",
    "/sitemap.xml",
    "/sitemap-insatsomraden.xml",
    "/datasets/dcat",
    "/robots.txt",
]


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_every_public_read_is_revalidated_by_the_catalogue_version(client, area, path):
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('W/"')
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]
    # A repeat costs the version's one small query, and a conditional one is a 304 at that price.
    _, repeat = queries(client, path)
    not_modified, conditional = queries(client, path, if_none_match=first["ETag"])
    assert not_modified.status_code == 304 and conditional == 1
    assert repeat == 1
    # Any edit to the catalogue, here a new activity, is a new version.
    make_activity(focus_area=area, title="Ny aktivitet")
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "Last-Modified" in again and "Last-Modified" in first


def test_the_whole_catalogue_is_written_out_once_per_version(client, area, settings, tmp_path, monkeypatch):
    from portal import written_out

    monkeypatch.setattr(written_out, "KEEP_SECONDS", -1)  # older files go at once (a minute in production)
    settings.DOWNLOADS_DIR = tmp_path
    first = client.get("/insatsomraden/ladda-ner.csv").getvalue()
    _, repeat = queries(client, "/insatsomraden/ladda-ner.csv")
    assert repeat == 1 and [p.suffix for p in tmp_path.glob("*.csv")] == [".csv"]
    assert first.decode("utf-8-sig").splitlines()[1].startswith("Region Gotland;09;Besöksnäring;Kulturarv")
    area.title = "Besöksnäring och kultur"
    area.save()
    assert "Besöksnäring och kultur" in client.get("/insatsomraden/ladda-ner.csv").getvalue().decode()
    assert len(list(tmp_path.glob("*.csv"))) == 1  # the older version's file is gone


def test_a_response_too_big_to_keep_is_sent_without_taking_the_render_lock_each_time(
    client, area, settings, tmp_path, monkeypatch
):
    # Found measuring: the written-out CSV is never kept in the page cache, so every request for it missed
    # and took the render lock, since the machine's cache (portal/cache.py) a file made and removed per
    # request: the warm CSV fell from 46 % to 24-30 % of the bare view.
    from django.core.cache import caches

    settings.DOWNLOADS_DIR = tmp_path
    locks = []
    add = caches["default"].add
    monkeypatch.setattr(
        caches["default"], "add", lambda key, *args, **kw: locks.append(key) or add(key, *args, **kw)
    )
    first = client.get("/insatsomraden/ladda-ner.csv")
    body = first.getvalue()
    assert first.status_code == 200 and len(locks) == 1 and "Besöksnäring" in body.decode()
    for _ in range(3):
        assert client.get("/insatsomraden/ladda-ner.csv").getvalue() == body
    assert len(locks) == 1
    # Known to be a 200 at this version: a 304 for its ETag without opening the file.
    assert (
        client.get("/insatsomraden/ladda-ner.csv", headers={"if-none-match": first["ETag"]}).status_code
        == 304
    )


def test_a_download_directory_that_cannot_be_written_streams_instead(client, area, settings, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.DOWNLOADS_DIR = blocked / "downloads"  # under a file: cannot be made
    response = client.get("/insatsomraden/ladda-ner.csv")
    assert response.status_code == 200 and "Besöksnäring" in response.getvalue().decode()


def test_a_proxy_may_hold_a_page_briefly_when_configured(client, area, settings):
    settings.PROXY_CACHE_SECONDS = 5
    response = client.get("/regioner/gotland/")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=5"} <= directives and "no-cache" not in directives
    assert client.get("/regioner/gotland/", headers={"if-none-match": response["ETag"]}).status_code == 304


def test_a_page_being_rendered_elsewhere_is_waited_for_not_rendered_again(client, area, monkeypatch):
    # After an edit every page is new; the first worker to miss renders it, the rest take its copy.
    from django.core.cache import caches

    from portal import page_cache

    client.get("/regioner/gotland/")
    fresh = client.get("/regioner/gotland/").content
    key = next(k for k in caches["default"]._cache if ":rendering" not in k)
    stored = caches["default"].get(key.split(":", 2)[2])  # LocMem keys are ":1:<key>"
    caches["default"].clear()
    lock = f"{key.split(':', 2)[2]}:rendering"
    caches["default"].add(lock, 1)  # another worker is rendering it

    def the_other_worker_finishes(seconds):
        caches["default"].set(key.split(":", 2)[2], stored)

    monkeypatch.setattr(page_cache.time, "sleep", the_other_worker_finishes)
    response, count = queries(client, "/regioner/gotland/")
    assert response.content == fresh and count == 1


@pytest.mark.parametrize("path", ["/regioner/gotland/", "/en/regioner/gotland/", "/api/v1/regions/"])
def test_pages_do_not_vary_by_the_browsers_languages(client, area, path):
    # The language is in the address; a Vary on Accept-Language made a proxy keep a copy per browser setting.
    swedish = client.get(path, headers={"accept-language": "sv"})
    english = client.get(path, headers={"accept-language": "en-GB,en;q=0.9"})
    assert swedish.content == english.content
    assert "accept-language" not in swedish.get("Vary", "").lower()


def test_a_restored_database_never_meets_what_was_cached_after_its_dump(client, area):
    # A pg_restore takes the version back to the dump's number; the next edit reaches a number pages were
    # cached under before the restore, with other content. The moment of the change tells them apart.
    dumped = CatalogueVersion.objects.get(pk=1)
    area.title = "Före återställningen"
    area.save()
    assert "Före återställningen" in client.get("/regioner/gotland/").content.decode()  # cached under N + 1
    CatalogueVersion.objects.filter(pk=1).update(value=dumped.value, changed_at=dumped.changed_at)  # restored
    FocusArea.objects.filter(pk=area.pk).update(title="Efter återställningen")
    CatalogueVersion.bump()  # the next edit: N + 1 again, at another moment
    assert CatalogueVersion.current() == dumped.value + 1
    assert "Efter återställningen" in client.get("/regioner/gotland/").content.decode()


def test_a_render_elsewhere_that_kept_nothing_is_not_waited_for(client, area, monkeypatch):
    # Found in review: when the first worker's page could not be kept (an error, too big, a file), the
    # others waited the whole RENDER_WAIT for a copy that never came.
    from django.core.cache import caches

    from portal import page_cache

    client.get("/regioner/gotland/")
    key = next(k for k in caches["default"]._cache).split(":", 2)[2]
    caches["default"].clear()
    caches["default"].add(f"{key}:rendering", 1)  # another worker is rendering it ...
    slept = []

    def the_other_worker_gives_up(seconds):
        slept.append(seconds)
        caches["default"].delete(f"{key}:rendering")  # ... and is done, without a copy

    monkeypatch.setattr(page_cache.time, "sleep", the_other_worker_gives_up)
    response = client.get("/regioner/gotland/")
    assert response.status_code == 200 and "Besöksnäring" in response.content.decode() and len(slept) == 1


def test_unknown_parameters_cannot_crowd_the_pages_cache(client, area):
    """Any address can carry made-up parameters (`?utm_source=…`, `?x=<random>`): the page is the same, but a
    crawler could make endless copies. They go to the bounded cache, as free text does."""
    from django.core.cache import caches

    client.get("/regioner/gotland/")
    pages = len(caches["default"]._cache)
    for n in range(5):
        response = client.get(f"/regioner/gotland/?x={n}&utm_source=nyhetsbrev")
        assert response.status_code == 200 and "Besöksnäring" in response.content.decode()
    assert len(caches["default"]._cache) == pages and len(caches["search"]._cache) == 5
    client.get("/insatsomraden/?region=gotland&sida=1")  # the site's own parameters are pages like any other
    assert len(caches["default"]._cache) == pages + 1


def test_every_parameter_the_views_read_is_known_to_the_cache():
    from initiatives.filters import FocusAreaFilter
    from portal.page_cache import ADDRESS_PARAMETERS
    from regions.comparison import SORT
    from regions.views import ALL_CONTACTS

    read = set(FocusAreaFilter.base_filters) | {SORT, ALL_CONTACTS[0], "sida", "p"}
    assert read <= ADDRESS_PARAMETERS


@pytest.mark.parametrize("path", ["/regioner/gotland/", "/regioner/saknas/", "/api/v1/regions/saknas/"])
def test_if_none_match_star_is_a_304_only_where_there_is_a_page(client, area, path):
    """`If-None-Match: *` means "if there is any version of this": a 304 for a page that exists, never for a
    404 (RFC 9110, 13.1.2)."""
    expected = client.get(path).status_code
    response = client.get(path, headers={"if-none-match": "*"})
    assert response.status_code == (304 if expected == 200 else expected)


def test_the_whole_catalogue_in_another_order_is_written_out(client, area, settings, tmp_path, monkeypatch):
    """`?sortera=` alone is still the whole catalogue: too big for the page cache at scale, so written out
    per order and version like the unsorted file, never rebuilt on each request."""
    from portal import written_out

    monkeypatch.setattr(written_out, "KEEP_SECONDS", -1)
    settings.DOWNLOADS_DIR = tmp_path
    make_focus_area(region=area.region, title="Arkipelag", slug="arkipelag")
    plain = client.get("/insatsomraden/ladda-ner.csv").getvalue().decode("utf-8-sig").splitlines()
    by_title = client.get("/insatsomraden/ladda-ner.csv?sortera=rubrik")
    lines = by_title.getvalue().decode("utf-8-sig").splitlines()
    assert by_title["Content-Disposition"] == 'attachment; filename="insatsomraden.csv"'
    assert sorted(lines[1:]) == sorted(plain[1:]) and lines[1].split(";")[2] == "Arkipelag"
    assert len(list(tmp_path.glob("*.csv"))) == 2  # one file per order, neither removing the other
    _, repeat = queries(client, "/insatsomraden/ladda-ner.csv?sortera=rubrik")
    assert repeat == 1
    bad_order = client.get("/insatsomraden/ladda-ner.csv?sortera=inget")
    # Refused, with why, as every selection the CSV cannot make (tests/test_open_data.py); never written out.
    assert bad_order.status_code == 400 and "sortera:" in bad_order.content.decode()


def _page_with_a_nonce(request):
    return HttpResponse(f'<script nonce="{request._csp_nonce}" src="/static/x.js"></script>')


urlpatterns = [route("med-nonce/", public_page(_page_with_a_nonce))]


@pytest.mark.urls("tests.test_page_cache")
def test_a_response_that_used_the_csp_nonce_is_never_served_again(client):
    """No public page uses the nonce today (no inline scripts), but one that did would be served from the
    cache with an earlier request's nonce, which the new Content-Security-Policy header does not allow:
    the script would silently not run. Such a response is not kept."""
    for _ in range(2):
        response = client.get("/med-nonce/")
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/regioner/saknas/", "/api/v1/regions/saknas/", "/teman/saknas/flode/", "/api/v1/focus-areas/?sida=abc"],
)
def test_a_current_etag_is_no_304_where_there_is_no_page(client, area, path):
    """The ETag is the catalogue's version, the same for every address: sent to an address that is a 404 or a
    400, it must get that answer, not a 304 (a 304 only where a plain request would get a 200)."""
    etag = client.get("/regioner/gotland/")["ETag"]
    expected = client.get(path).status_code
    assert expected in (400, 404)
    assert client.get(path, headers={"if-none-match": etag}).status_code == expected
    # And a real page revalidated before it was ever cached in this process still gets its 304.
    from django.core.cache import caches

    caches["default"].clear()
    assert client.get("/regioner/gotland/", headers={"if-none-match": etag}).status_code == 304


def test_a_304_for_a_download_does_not_end_the_request_early(client, area, settings, tmp_path):
    """The written-out CSV answered with a 304 must close its file without closing the response the Django
    way (request_finished closes the database connection; on PostgreSQL the rest of the request failed)."""
    from django.core.signals import request_finished

    settings.DOWNLOADS_DIR = tmp_path
    etag = client.get("/insatsomraden/ladda-ner.csv")["ETag"]
    finished = []

    def count(**kwargs):
        finished.append(1)

    request_finished.connect(count)
    try:
        response = client.get("/insatsomraden/ladda-ner.csv", headers={"if-none-match": etag})
    finally:
        request_finished.disconnect(count)
    assert response.status_code == 304
    assert len(finished) == 1  # the end of the request itself, once
