"""Content history (who, when, which fields, old and new), drafts, checked-on dates and erasure.

Restoring a version: tests/test_admin_restore.py; two people editing at once: tests/test_admin_conflicts.py.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea

from .admin_forms import admin_url, change_form, confirm, run_action, sent_fields
from .factories import make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db


def staff(username, group, region=None):
    client = Client()
    client.force_login(make_staff(username, group, region))
    return client


@pytest.fixture
def area():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    return make_focus_area(region=region, title="Besöksnäring", summary="Den första ingressen.")


def test_every_change_is_recorded_with_who_and_what(app, area):
    eva = make_staff("eva", EDITOR_GROUP)
    form = change_form(app, area, eva)
    form["summary"] = "En ny ingress."
    assert form.submit("_save").status_code == 302
    record = area.history.latest()
    assert record.history_user.username == "eva"
    changes = record.diff_against(record.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("summary", "Den första ingressen.", "En ny ingress.")
    ]
    html = app.get(reverse("admin:initiatives_focusarea_history", args=[area.pk]), user=eva).text
    assert "eva" in html and "En ny ingress." in html
    # In Swedish (django-simple-history has no Swedish of its own), and naming people without linking
    # to user accounts that coordinators may not open.
    assert "Öppna en version" in html and "Choose a date" not in html and "Changed by" not in html
    assert not re.search(r"/admin/auth/user/\d+/", html)


def test_another_regions_history_is_closed_to_a_coordinator(area):
    other = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    skane = staff("sven", COORDINATOR_GROUP, other)
    version = area.history.latest().history_id
    assert skane.get(reverse("admin:initiatives_focusarea_history", args=[area.pk])).status_code in (302, 403)
    url = reverse("admin:initiatives_focusarea_simple_history", args=[area.pk, version])
    # As on the change page: another region's object "does not exist" (a redirect to the admin's index).
    assert skane.get(url).status_code == 302
    assert skane.post(url, {"summary": "Kapad", "loaded_version": str(version)}).status_code == 302
    assert FocusArea.objects.get(pk=area.pk).summary == "Den första ingressen."


# --- Drafts --------------------------------------------------------------------------------------


def test_staff_preview_drafts_on_the_public_design_and_nobody_else_sees_them(client, area):
    FocusArea.objects.filter(pk=area.pk).update(status="draft")
    url = area.get_absolute_url()
    assert client.get(url).status_code == 404
    other = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    assert staff("sven", COORDINATOR_GROUP, other).get(url).status_code == 404
    for viewer in (staff("eva", EDITOR_GROUP), staff("anna", COORDINATOR_GROUP, area.region)):
        html = viewer.get(url).content.decode()
        assert "Utkast – förhandsvisning." in html and '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("requires_editor", [False, True])
def test_who_may_publish(app, client, area, settings, requires_editor):
    settings.PUBLISH_REQUIRES_EDITOR = requires_editor
    FocusArea.objects.filter(pk=area.pk).update(status="draft")
    anna = make_staff("anna", COORDINATOR_GROUP, area.region)
    form = change_form(app, area, anna)
    assert ("status" in form.fields) == (not requires_editor)  # a read-only status, where it is the editors'
    if requires_editor:
        # A crafted status in the post is ignored, as the field is not on the form.
        data = sent_fields(form)
        data["status"] = ["published"]
        assert app.post(admin_url(area, "change"), data, user=anna).status_code == 302
    else:
        form["status"] = "published"
        assert form.submit("_save").status_code == 302
    area.refresh_from_db()
    assert area.status == ("draft" if requires_editor else "published")
    form = change_form(app, area, make_staff("eva", EDITOR_GROUP))
    form["status"] = "published"
    form.submit("_save")
    area.refresh_from_db()
    assert area.status == "published"


# --- Checked on ----------------------------------------------------------------------------------


def test_coordinators_confirm_content_and_the_admin_lists_what_is_stale(app, area):
    import datetime

    from django.utils import timezone

    from contacts.models import Contact

    from .factories import make_contact

    fresh = make_contact(area.region, name="Nyss kontrollerad", checked_on=timezone.localdate())
    stale = make_contact(
        area.region, name="Gammal", checked_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    never = make_contact(area.region, name="Aldrig")
    anna_user = make_staff("anna", COORDINATOR_GROUP, area.region)
    anna = Client()
    anna.force_login(anna_user)
    changelist = reverse("admin:contacts_contact_changelist")
    html = anna.get(changelist, {"kontrollerad": "gammal"}).content.decode()
    assert "Gammal" in html and "Aldrig" in html and "Nyss kontrollerad" not in html

    response = run_action(
        app, Contact, anna_user, "mark_checked_today", [stale, never], "?kontrollerad=gammal"
    )
    assert "2 poster markerade som kontrollerade" in response.follow().text
    assert set(Contact.objects.filter(checked_on=timezone.localdate()).values_list("name", flat=True)) == {
        fresh.name,
        stale.name,
        never.name,
    }
    assert never.history.latest().history_user.username == "anna"
    assert "Aldrig" not in anna.get(changelist, {"kontrollerad": "gammal"}).content.decode()


# --- Erasure -------------------------------------------------------------------------------------


def test_deleting_a_contact_erases_it_from_history_and_the_admin_log(app, area):
    from django.contrib.admin.models import LogEntry

    from contacts.models import Contact

    from .factories import make_contact

    person = make_contact(area.region, name="Karin Privat", phone="070-111 22 33")
    keep = make_contact(area.region, name="Per Kvar")
    eva = staff("eva", EDITOR_GROUP)
    form = change_form(app, person, User.objects.get(username="eva"))
    form["phone"] = "070-999 88 77"
    assert form.submit("_save").status_code == 302
    assert (
        "raderar också alla tidigare versioner"
        in eva.get(reverse("admin:contacts_contact_delete", args=[person.pk])).content.decode()
    )

    confirm(
        app.get(
            reverse("admin:contacts_contact_delete", args=[person.pk]), user=User.objects.get(username="eva")
        )
    )

    assert not Contact.objects.filter(pk=person.pk).exists()
    assert not Contact.history.filter(id=person.pk).exists()
    assert Contact.history.filter(id=keep.pk).exists()
    entries = LogEntry.objects.filter(object_id=str(person.pk), content_type__model="contact")
    assert entries.count() == 2  # the change and the deletion, still logged
    assert not entries.filter(object_repr__contains="Karin").exists()


def test_bulk_deleting_contacts_erases_them_too(app, area):
    from contacts.models import Contact

    from .factories import make_contact

    people = [make_contact(area.region, name=f"Person {n}") for n in range(3)]
    eva = make_staff("eva", EDITOR_GROUP)
    confirm(run_action(app, Contact, eva, "delete_selected", people))
    assert not Contact.objects.filter(pk__in=[p.pk for p in people]).exists()
    assert not Contact.history.filter(id__in=[p.pk for p in people]).exists()
