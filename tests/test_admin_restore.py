"""Restoring an earlier version, as editors and coordinators do it: open the version from the history,
read what would change, press "Återställ den här versionen".

The restores run with real transactions (transaction=True), on SQLite and on PostgreSQL, since the row
lock they take is only real outside the test's own transaction.
"""

import pytest
from django.urls import reverse

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import Link, Status

from .admin_forms import admin_url, change_form, errors
from .factories import make_activity, make_focus_area, make_link, make_region, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kalmar(migrated_rows):
    return make_region(
        name="Region Kalmar län",
        short_name="Kalmar",
        slug="kalmar",
        county_code="08",
        introduction="Den första inledningen.",
    )


@pytest.fixture
def area(kalmar):
    area = make_focus_area(
        region=kalmar, title="Besöksnäring", slug="besoksnaring", summary="Första ingressen."
    )
    make_activity(area, order=1, title="Steg ett", body="Det första steget.")
    make_activity(area, order=2, title="Steg två", body="Det andra steget.")
    make_link(kalmar, focus_area=area, label="Projektsidan", url="https://example.se/projekt")
    return area


def version_url(obj, version):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
    )


def open_version_from_the_history(app, obj, user, index_from_oldest=0):
    """The history page, then the link of one of its versions, as a person clicks it."""
    history = app.get(admin_url(obj, "history"), user=user)
    versions = list(obj.history.order_by("history_id"))
    wanted = version_url(obj, versions[index_from_oldest])
    page = history.click(href=wanted, index=0)  # right after opening the history as `user`
    page.user = user
    return page


def version_page(app, obj, version, user):
    page = app.get(version_url(obj, version), user=user)
    page.user = user
    return page


def restore(page):
    """Press "Återställ den här versionen", as the person who opened the page."""
    return page.forms["restore-form"].submit("_restore", user=page.user)


def test_an_editor_restores_a_version_with_its_activities_and_links(app, client, area):
    eva = make_staff("eva", EDITOR_GROUP)
    form = change_form(app, area, eva)
    form["summary"] = "Fel ingress."
    form["activities-0-body"] = "Ett felaktigt steg."
    form["activities-1-DELETE"] = True
    form["links-0-url"] = "https://example.se/fel"
    assert form.submit("_save").status_code == 302
    assert area.activities.count() == 1

    page = open_version_from_the_history(app, area, eva)
    text = page.html.select_one("#content-main").get_text(" ", strip=True)
    assert "Fel ingress." in text and "Första ingressen." in text
    assert "återskapas" in text  # the deleted activity comes back
    response = restore(page)
    assert response.status_code == 302, errors(response)
    assert "är återställd" in response.follow().html.select_one(".messagelist").get_text()

    area.refresh_from_db()
    assert area.summary == "Första ingressen."
    assert list(area.activities.values_list("order", "body")) == [
        (1, "Det första steget."),
        (2, "Det andra steget."),
    ]
    assert Link.objects.get(focus_area=area).url == "https://example.se/projekt"
    latest = area.history.latest()
    assert latest.history_user.username == "eva" and latest.history_change_reason.startswith("Återställd")
    assert "Första ingressen." in client.get(area.get_absolute_url()).content.decode()  # live at once


def test_a_coordinator_restores_their_regions_text_but_not_what_only_editors_change(app, kalmar):
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, kalmar)
    form = change_form(app, kalmar, eva)
    form["introduction"] = "Redaktörens inledning."
    form["name"] = "Region Kalmar"
    form.submit("_save")

    page = open_version_from_the_history(app, kalmar, anna)  # was a 500 (KeyError: 'slug')
    assert page.status_code == 200
    text = page.html.select_one("#content-main").get_text(" ", strip=True)
    assert (
        "Ändras inte, eftersom du inte får ändra dem (bara redaktörer, eller ett val du inte har): namn"
        in text
    )
    assert restore(page).status_code == 302
    kalmar.refresh_from_db()
    assert (kalmar.introduction, kalmar.name) == ("Den första inledningen.", "Region Kalmar")


def test_a_coordinators_restore_does_not_republish_where_publishing_is_the_editors(app, area, settings):
    settings.PUBLISH_REQUIRES_EDITOR = True
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, area.region)
    form = change_form(app, area, eva)
    form["status"] = Status.DRAFT
    form["summary"] = "Omarbetas."
    form.submit("_save")

    assert restore(open_version_from_the_history(app, area, anna)).status_code == 302
    area.refresh_from_db()
    assert (area.summary, area.status) == ("Första ingressen.", Status.DRAFT)


def test_an_object_moved_to_another_region_is_out_of_its_old_coordinators_reach(app, area):
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, area.region)
    old = area.history.earliest()
    form = change_form(app, area, eva)
    form["region"] = str(skane.pk)
    form["summary"] = "Skånes text."
    response = form.submit("_save")
    assert response.status_code == 302, errors(response)  # its link moves with it (was refused)
    assert Link.objects.get(focus_area=area).region == skane

    page = app.get(version_url(area, old), user=anna)
    assert page.status_code == 302 and page.location.endswith(reverse("admin:index"))
    response = app.post(version_url(area, old), {"loaded_version": "1"}, user=anna, expect_errors=True)
    assert response.status_code in (302, 403)
    area.refresh_from_db()
    assert (area.region, area.summary) == (skane, "Skånes text.")


def test_a_restore_over_a_newer_save_is_refused(app, area):
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, area.region)
    form = change_form(app, area, eva)
    form["summary"] = "Andra ingressen."
    form.submit("_save")
    page = open_version_from_the_history(app, area, eva)

    form = change_form(app, area, anna)  # Anna saves while Eva is reading the comparison
    form["summary"] = "Annas ingress."
    form.submit("_save")

    response = restore(page)
    assert response.status_code == 200
    assert (
        "Någon har sparat en ny version medan du jämförde"
        in response.html.select_one(".errornote").get_text()
    )
    area.refresh_from_db()
    assert area.summary == "Annas ingress."


def test_a_version_of_another_object_is_not_found(app, area, kalmar):
    other = make_focus_area(region=kalmar, title="Annat")
    eva = make_staff("eva", EDITOR_GROUP)
    url = reverse(
        "admin:initiatives_focusarea_simple_history", args=[area.pk, other.history.latest().history_id]
    )
    assert app.get(url, user=eva, expect_errors=True).status_code == 404
    assert (
        app.get(
            url.replace(f"/{other.history.latest().history_id}/", "/x/"), user=eva, expect_errors=True
        ).status_code
        == 404
    )


def test_a_restore_never_takes_back_a_link_that_now_belongs_to_another_region(app, kalmar):
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    link = make_link(kalmar, label="Läs mer", url="https://example.se/las-mer")
    moved_here = make_link(kalmar, focus_area=make_focus_area(region=kalmar), label="Flyttad hit")
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, kalmar)
    form = change_form(app, kalmar, eva)
    form["introduction"] = "Ny inledning."
    form.submit("_save")
    old_version = kalmar.history.order_by("history_id").first()

    form = change_form(app, link, eva)  # the editor gives Kalmar's link to Skåne
    form["region"] = str(skane.pk)
    form["label"] = "Skånes länk nu"
    assert form.submit("_save").status_code == 302
    moved_here.focus_area = None  # and moves an insatsområde's link onto the region page
    moved_here.save()

    page = version_page(app, kalmar, old_version, anna)
    text = page.html.select_one("#content-main").get_text(" ", strip=True)
    assert "hör nu till Region Skåne" in text
    assert restore(page).status_code == 302
    link.refresh_from_db()
    assert (link.region, link.label) == (skane, "Skånes länk nu")
    assert Link.objects.filter(pk=moved_here.pk, region=kalmar).exists()  # moved, not deleted
    kalmar.refresh_from_db()
    assert kalmar.introduction == "Den första inledningen."


def test_a_coordinator_restores_what_they_may_after_an_insatsomrade_moved_to_their_region(app, area):
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    eva, sven = make_staff("eva", EDITOR_GROUP), make_staff("sven", COORDINATOR_GROUP, skane)
    form = change_form(app, area, eva)
    form["region"] = str(skane.pk)
    form["summary"] = "Flyttad till Skåne."
    assert form.submit("_save").status_code == 302

    page = open_version_from_the_history(app, area, sven)
    text = page.html.select_one("#content-main").get_text(" ", strip=True)
    assert "Ändras inte" in text and "region" in text
    assert restore(page).status_code == 302
    area.refresh_from_db()
    assert (area.region, area.summary) == (skane, "Första ingressen.")


def test_a_history_address_that_is_not_a_number_is_not_found(app, area):
    eva = make_staff("eva", EDITOR_GROUP)
    for url in ["/admin/initiatives/focusarea/abc/history/", "/admin/regions/region/abc/history/"]:
        response = app.get(url, user=eva, expect_errors=True)
        assert response.status_code == 302 and response.location.endswith(reverse("admin:index"))


def test_another_regions_history_and_a_missing_one_look_the_same(app, area):
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    sven = make_staff("sven", COORDINATOR_GROUP, skane)
    theirs = app.get(admin_url(area, "history"), user=sven, expect_errors=True)
    missing = app.get("/admin/initiatives/focusarea/999999/history/", user=sven, expect_errors=True)
    assert theirs.status_code == missing.status_code == 302


def test_the_latest_version_restores_the_activities_it_was_saved_with(app, area):
    eva = make_staff("eva", EDITOR_GROUP)
    form = change_form(app, area, eva)
    form["summary"] = "Version V."
    form["activities-0-body"] = "Steget i V."
    form.submit("_save")
    version = area.history.latest()
    form = change_form(app, area, eva)
    form["activities-0-body"] = "Steget efter V."  # only the activity
    form.submit("_save")
    page = version_page(app, area, version, eva)
    assert "Steget i V." in page.text
    assert restore(page).status_code == 302
    assert area.activities.get(order=1).body == "Steget i V."


def test_a_restore_keeps_a_link_moved_here_even_if_it_is_younger_than_the_version(app, kalmar):
    eva, anna = make_staff("eva", EDITOR_GROUP), make_staff("anna", COORDINATOR_GROUP, kalmar)
    form = change_form(app, kalmar, eva)
    form["introduction"] = "Andra inledningen."
    form.submit("_save")
    old = kalmar.history.order_by("history_id").first()
    young = make_link(kalmar, focus_area=make_focus_area(region=kalmar), label="Ung länk")
    young.focus_area = None
    young.save()
    page = version_page(app, kalmar, old, anna)
    assert "lämnas kvar" in page.text
    assert restore(page).status_code == 302
    assert Link.objects.filter(pk=young.pk, region=kalmar).exists()
