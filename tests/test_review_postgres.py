"""The review workflow with real transactions: e-mail only after a commit, and two people saving one
working copy at the same moment on PostgreSQL (the row lock serialises them; the second is told).
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from editorial.models import Revision
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea

from .admin_forms import admin_url, as_user, change_form, sent_fields
from .factories import make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _review_required(settings):
    settings.PUBLISH_REQUIRES_EDITOR = True


@pytest.fixture
def area(migrated_rows):
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    return make_focus_area(
        region=gotland, title="Besöksnäring", slug="besoksnaring", body="Den gamla texten."
    )


def test_submit_and_approve_commit_and_then_tell_people(app, area):
    eva = make_staff("eva", EDITOR_GROUP, email="eva@tillvaxtverket.se")
    anna = make_staff("anna", COORDINATOR_GROUP, area.region, email="anna@gotland.se")
    form = change_form(app, area, anna)
    form["body"] = "Den nya texten."
    assert form.submit("_submit_review").status_code == 302
    assert [m.to for m in mail.outbox] == [["eva@tillvaxtverket.se"]]  # sent once committed

    # Meanwhile the published copy changes in the same field: approving is a conflict, nothing is
    # published and nobody is told it was.
    FocusArea.objects.filter(pk=area.pk).update(body="Någon annans text.")
    FocusArea.objects.get(pk=area.pk).save()
    revision = Revision.objects.get()
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    decision = as_user(page.forms["review-decision"], eva)
    response = decision.submit("action", value="approve")
    assert response.status_code == 200 and "Inget är publicerat" in response.text
    assert FocusArea.objects.get(pk=area.pk).body == "Någon annans text." and len(mail.outbox) == 1
    revision.refresh_from_db()
    assert revision.state == Revision.State.SUBMITTED

    # Anna opens her copy: the conflict is shown on the field, both texts in view; she saves hers again.
    page = app.get(admin_url(area, "change"), user=anna)
    assert "Någon annans text." in page.text
    form = as_user(page.forms["focusarea_form"], anna)
    assert form["body"].value == "Den nya texten."
    assert form.submit("_submit_review").status_code == 302
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    decision = as_user(page.forms["review-decision"], eva)
    assert decision.submit("action", value="approve").status_code == 302
    assert FocusArea.objects.get(pk=area.pk).body == "Den nya texten."
    assert mail.outbox[-1].to == ["anna@gotland.se"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks that wait are PostgreSQL's")
def test_two_working_copy_saves_at_the_same_moment_are_serialised_and_the_second_is_told(app, area):
    anna = make_staff("anna", COORDINATOR_GROUP, area.region)
    bo = make_staff("bo", COORDINATOR_GROUP, area.region)
    sent = {}
    for user, text in ((anna, "Annas text."), (bo, "Bos text.")):
        form = change_form(app, area, user)
        form["body"] = text
        sent[user.username] = sent_fields(form) | {"_draft": ["Spara som utkast"]}
    results = {}

    def save(user):
        client = Client()
        client.force_login(user)
        try:
            response = client.post(admin_url(area, "change"), sent[user.username])
            results[user.username] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    with transaction.atomic():
        FocusArea.objects.select_for_update().get(pk=area.pk)  # both saves wait behind this lock
        threads = [threading.Thread(target=save, args=(user,)) for user in (anna, bo)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:  # until both saves wait for the lock (pg_locks is live)
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] >= 2:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the two saves did not both reach the row lock")
    for thread in threads:
        thread.join(30)
    statuses = sorted(status for status, _body in results.values())
    assert statuses == [200, 302], results
    (loser,) = [name for name, (status, _b) in results.items() if status == 200]
    assert "sparade en arbetskopia" in results[loser][1]
    revision = Revision.objects.get()
    winner = "anna" if loser == "bo" else "bo"
    assert revision.data["body"] == [{"anna": "Annas text.", "bo": "Bos text."}[winner]]
    assert FocusArea.objects.get(pk=area.pk).body == "Den gamla texten."


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks that wait are PostgreSQL's")
def test_the_same_new_record_sent_twice_at_once_is_a_form_error_not_a_server_error(app, area):
    eva = make_staff("eva", EDITOR_GROUP)
    page = app.get(admin_url(FocusArea, "add"), user=eva)
    form = as_user(page.forms["focusarea_form"], eva)
    form["region"] = str(area.region_id)
    form["title"] = "Parallell"
    form["slug"] = "parallell"
    sent = sent_fields(form) | {"_save": ["Spara"]}
    results = []

    def save():
        client = Client()
        client.force_login(eva)
        try:
            response = client.post(admin_url(FocusArea, "add"), sent)
            results.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    with transaction.atomic():
        # Another save of the same record, not yet committed: both requests find the slug free, and then
        # wait at the database's unique index until it commits.
        FocusArea.objects.create(region=area.region, title="Parallell", slug="parallell")
        threads = [threading.Thread(target=save) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] >= 2:
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the two saves did not both wait at the unique index")
    for thread in threads:
        thread.join(30)
    assert [status for status, _body in results] == [200, 200], [s for s, _b in results]
    assert all("finns redan" in body for _status, body in results)
    assert FocusArea.objects.filter(slug="parallell").count() == 1
