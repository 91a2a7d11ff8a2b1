"""The three everyday questions, answered by the admin's start page and "Senaste ändringar":
what did the regions change this week, what is waiting for me, which of my region's texts are out of date.
Query counts are pinned: they must not grow with the number of regions, rows or changes.
"""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from editorial.models import Revision
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea

from .admin_forms import change_form
from .factories import make_contact, make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _review_required(settings):
    settings.PUBLISH_REQUIRES_EDITOR = True


@pytest.fixture
def gotland():
    return make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")


@pytest.fixture
def anna(gotland):
    return make_staff("anna", COORDINATOR_GROUP, gotland, email="anna@gotland.se")


@pytest.fixture
def eva():
    return make_staff("eva", EDITOR_GROUP, email="eva@tillvaxtverket.se")


def queries(app, url, user):
    app.get(url, user=user)  # logged in: the count is of the page, not of starting a session
    with CaptureQueriesContext(connection) as captured:
        page = app.get(url, user=user)
    assert page.status_code == 200
    return page, len(captured)


def test_a_coordinators_desk_says_what_waits_and_what_is_out_of_date(app, gotland, anna):
    today = timezone.localdate()
    fresh = make_focus_area(region=gotland, title="Besöksnäring", checked_on=today)
    make_focus_area(
        region=gotland, title="Kompetensförsörjning", checked_on=today - datetime.timedelta(days=400)
    )
    never = make_focus_area(region=gotland, title="Cirkulär ekonomi")
    make_focus_area(region=gotland, title="Ett utkast", status="draft", checked_on=today)
    make_contact(gotland, name="Karin Berg", email="", phone="070-111 22 33", checked_on=today)
    make_contact(gotland, name="Olle Ek", email="olle@gotland.se", phone="", checked_on=today)
    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    make_focus_area(region=other, title="Hallands gamla text")

    form = change_form(app, fresh, anna)
    form["summary"] = "Ny ingress."
    form.submit("_submit_review")
    form = change_form(app, never, anna)
    form["summary"] = "Ett utkast till ingress."
    form.submit("_draft")

    page, count = queries(app, reverse("admin:index"), anna)
    desk = page.html.select_one(".desk").get_text(" ", strip=True)
    assert "Min region" in page.text and "Region Gotland" in desk
    waiting = desk.split("Väntar på granskning")[1].split("Utkast")[0]
    assert "Besöksnäring" in waiting
    drafts = desk.split("Utkast")[1].split("Inte kontrollerat")[0]
    assert "Cirkulär ekonomi" in drafts and "Ett utkast" in drafts
    stale = desk.split("Inte kontrollerat på 12 månader")[1].split("Kontaktpersoner utan")[0]
    assert "Kompetensförsörjning" in stale and "Cirkulär ekonomi" in stale and "Besöksnäring" not in stale
    unreachable = desk.split("Kontaktpersoner utan e-post eller telefon")[1]
    assert "Karin Berg (saknar e-post)" in unreachable and "Olle Ek (saknar telefon)" in unreachable
    assert "Hallands" not in page.text
    assert page.html.select_one(f'a[href="{gotland.get_absolute_url()}"]')

    # Sent back: the desk shows it with the editor's comment.
    revision = Revision.objects.get(state=Revision.State.SUBMITTED)
    eva = make_staff("eva", EDITOR_GROUP)
    review = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    form = review.forms["review-decision"]
    form["comment"] = "Lägg till årtalet."
    form.submit("action", value="send_back", user=eva)
    page, again = queries(app, reverse("admin:index"), anna)
    assert "Lägg till årtalet." in page.html.select_one(".desk").get_text()

    # A fixed number of queries, whatever the amount of content.
    for n in range(5):
        make_focus_area(region=gotland, title=f"Fler {n}")
        make_contact(gotland, name=f"Fler {n}", email="")
    _page, more = queries(app, reverse("admin:index"), anna)
    assert more == again
    # 13 queries; 15 once something is sent back (its comment), on both databases.
    assert (count, again) == (13, 15), (count, again)


def test_the_editors_start_page_leads_with_the_queue_and_lists_coordinators_without_email(
    app, gotland, anna, eva
):
    make_staff("bertil", COORDINATOR_GROUP, gotland)  # no e-mail address
    area = make_focus_area(region=gotland, title="Besöksnäring")
    form = change_form(app, area, anna)
    form["summary"] = "Ny ingress."
    form.submit("_submit_review")
    page, count = queries(app, reverse("admin:index"), eva)
    desk = page.html.select_one(".desk").get_text(" ", strip=True)
    assert "Väntar på granskning (1)" in desk and "Besöksnäring" in desk
    assert (
        "Samordnare utan e-postadress" in desk
        and "bertil" in desk
        and "anna" not in desk.split("e-postadress")[1]
    )
    assert count == 9, count


def test_the_change_log_says_who_changed_what_where_and_filters(app, gotland, anna, eva):
    area = make_focus_area(region=gotland, title="Besöksnäring")
    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    halland = make_focus_area(region=other, title="Hallands insatsområde")
    form = change_form(app, halland, eva)
    form["summary"] = "Evas ingress i Halland."
    form.submit("_save")
    form = change_form(app, area, anna)
    form["summary"] = "Annas nya ingress."
    form.submit("_submit_review")

    url = reverse("admin:editorial_changelog")
    page, count = queries(app, url, eva)
    rows = [row.get_text(" ", strip=True) for row in page.html.select("#changelog tbody tr")]
    assert any(
        "eva" in r and "Hallands insatsområde" in r and "Halland" in r and "Ändrade" in r for r in rows
    )
    assert any("anna" in r and "Skickade för granskning" in r and "Gotland" in r for r in rows)

    # Filtered by region, by person, by kind.
    page = app.get(url, {"region": other.pk}, user=eva)
    text = page.html.select_one("#changelog").get_text()
    assert "Hallands insatsområde" in text and "Besöksnäring" not in text
    page = app.get(url, {"person": anna.pk}, user=eva)
    assert "Hallands" not in page.html.select_one("#changelog").get_text()
    page = app.get(url, {"kind": "review"}, user=eva)
    assert "Hallands" not in page.html.select_one("#changelog").get_text()
    week_ahead = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    page = app.get(url, {"since": week_ahead}, user=eva)
    assert "Inga ändringar" in page.text

    # Each row links to what changed, word by word.
    page = app.get(url, {"region": other.pk}, user=eva)
    change = page.click(href=r"/admin/andringar/focusarea/", index=0)
    assert change.html.select_one(".word-diff ins").get_text(strip=True).endswith("Evas ingress i Halland.")
    assert "Återställ till före den här ändringen" in change.text

    # A coordinator reads only their own regions' changes.
    page = app.get(url, user=anna)
    assert "Hallands" not in page.text
    record = FocusArea.history.filter(id=halland.pk).latest()
    assert (
        app.get(
            reverse("admin:editorial_change", args=["focusarea", record.history_id]),
            user=anna,
            expect_errors=True,
        ).status_code
        == 404
    )

    # The query count does not grow with the changes.
    for n in range(10):
        form = change_form(app, halland, eva)
        form["summary"] = f"Version {n}."
        form.submit("_save")
    _page, more = queries(app, url, eva)
    assert more == count, (count, more)


def test_bad_filters_get_a_clear_answer_not_an_error(app, eva):
    url = reverse("admin:editorial_changelog")
    for query in [
        {"region": "x"},
        {"person": "999999"},
        {"kind": "nonsense"},
        {"since": "2026-13-40"},
        {"sida": "-1"},
    ]:
        page = app.get(url, query, user=eva)
        assert page.status_code == 200
    assert (
        app.get(
            reverse("admin:editorial_change", args=["nonsense", 1]), user=eva, expect_errors=True
        ).status_code
        == 404
    )
    assert (
        app.get(
            reverse("admin:editorial_change", args=["focusarea", 999999]), user=eva, expect_errors=True
        ).status_code
        == 404
    )


def test_the_monthly_reminder_reaches_each_coordinator_with_stale_items(gotland, anna, eva):
    from django.core import mail
    from django.core.management import call_command

    make_focus_area(region=gotland, title="Kompetensförsörjning")  # never checked
    make_staff("bertil", COORDINATOR_GROUP, gotland)  # no address: the editors are told
    tidy = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    make_staff("hanna", COORDINATOR_GROUP, tidy, email="hanna@halland.se")  # nothing stale: no e-mail
    call_command("remind_coordinators", stdout=io.StringIO())
    to = {tuple(message.to): message for message in mail.outbox}
    assert set(to) == {("anna@gotland.se",), ("eva@tillvaxtverket.se",)}
    reminder = to[("anna@gotland.se",)]
    assert "Gotland" in reminder.subject and "Kompetensförsörjning (aldrig)" in reminder.body
    assert "http://127.0.0.1:8000/admin/" in reminder.body
    assert "bertil" in to[("eva@tillvaxtverket.se",)].body


def test_a_coordinator_with_one_region_gets_it_preselected_and_a_new_activity_the_next_number(
    app, gotland, anna
):
    from .admin_forms import add_inline, admin_url

    page = app.get(admin_url(FocusArea, "add"), user=anna)
    assert page.forms["focusarea_form"]["region"].value == str(gotland.pk)
    assert "Select an option" not in page.text
    area = make_focus_area(region=gotland, title="Besöksnäring")
    for n in (1, 2, 5):
        area.activities.create(order=n, body=f"Steg {n}.")
    form = change_form(app, area, anna)
    index = add_inline(form, "activities")
    assert form[f"activities-{index}-order"].value == "6"
    assert (
        len(page.html.select('input[name="_save"], input[name="_submit_review"]')) >= 2
    )  # Spara at the top too


def test_the_change_logs_filters_say_what_is_wrong_and_keep_the_rest(app, gotland, anna, eva):
    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    make_staff("hanna", COORDINATOR_GROUP, other)
    make_focus_area(region=gotland, title="Besöksnäring")
    make_focus_area(region=other, title="Hallands insatsområde")
    url = reverse("admin:editorial_changelog")
    page = app.get(url, {"since": "2026-12-05", "until": "2026-11-01"}, user=eva)
    assert "Till och med måste vara" in page.text
    page = app.get(url, {"kind": "nonsense", "region": other.pk, "seed": "on"}, user=eva)
    assert (
        page.html.select_one(".errorlist") and "Besöksnäring" not in page.html.select_one("#changelog").text
    )
    people = [o.text for o in app.get(url, user=anna).html.select("#id_person option")]
    assert "eva" in people and "anna" in people and "hanna" not in people
