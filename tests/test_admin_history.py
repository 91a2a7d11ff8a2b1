"""Content history (who, when, which fields, old and new), restoring a version, and conflict-safe saves."""

import pytest
from django.test import Client
from django.urls import reverse

from initiatives.models import FocusArea
from regions.permissions import COORDINATOR_GROUP, EDITOR_GROUP

from .admin_forms import form_data
from .factories import make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db


def staff(username, group, region=None):
    client = Client()
    client.force_login(make_staff(username, group, region))
    return client


def change_url(area):
    return reverse("admin:initiatives_focusarea_change", args=[area.pk])


@pytest.fixture
def area():
    region = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    return make_focus_area(region=region, title="Besöksnäring", summary="Den första ingressen.")


def save(client, area, **changes):
    data = form_data(client.get(change_url(area)))
    data.update(changes)
    return client.post(change_url(area), data)


def test_every_change_is_recorded_with_who_and_what(area):
    eva = staff("eva", EDITOR_GROUP)
    assert save(eva, area, summary="En ny ingress.").status_code == 302
    record = area.history.latest()
    assert record.history_user.username == "eva"
    changes = record.diff_against(record.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("summary", "Den första ingressen.", "En ny ingress.")
    ]
    html = eva.get(reverse("admin:initiatives_focusarea_history", args=[area.pk])).content.decode()
    assert "eva" in html and "En ny ingress." in html


def test_restore_an_earlier_version(area):
    eva = staff("eva", EDITOR_GROUP)
    first = area.history.earliest()
    save(eva, area, summary="Fel ingress.")
    url = reverse("admin:initiatives_focusarea_simple_history", args=[area.pk, first.history_id])
    data = form_data(eva.get(url))
    assert eva.post(url, data).status_code == 302
    area.refresh_from_db()
    assert area.summary == "Den första ingressen."
    assert area.history.count() == 3  # created, edited, restored


def test_the_second_of_two_simultaneous_saves_is_refused_and_keeps_its_input(area):
    eva, anna = staff("eva", EDITOR_GROUP), staff("anna", COORDINATOR_GROUP, area.region)
    evas_form = form_data(eva.get(change_url(area)))
    assert save(anna, area, summary="Annas ingress.").status_code == 302

    evas_form.update(summary="Evas ingress.")
    response = eva.post(change_url(area), evas_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat det här medan du redigerade" in html
    assert "anna" in html and "”Den första ingressen.” → ”Annas ingress.”" in html
    assert "Evas ingress." in html  # her input is still in the form
    area.refresh_from_db()
    assert area.summary == "Annas ingress."

    # Having seen Anna's change, Eva saves again on purpose: the form now carries the new version.
    assert eva.post(change_url(area), form_data(response)).status_code == 302
    area.refresh_from_db()
    assert area.summary == "Evas ingress."


def test_a_form_without_its_version_is_refused(area):
    eva = staff("eva", EDITOR_GROUP)
    data = form_data(eva.get(change_url(area)))
    data["loaded_version"] = ""
    data["summary"] = "Utan version."
    response = eva.post(change_url(area), data)
    assert response.status_code == 200 and "ladda om sidan" in response.content.decode()
    area.refresh_from_db()
    assert area.summary == "Den första ingressen."


def test_another_regions_history_is_closed_to_a_coordinator(area):
    other = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    skane = staff("sven", COORDINATOR_GROUP, other)
    version = area.history.latest().history_id
    assert skane.get(reverse("admin:initiatives_focusarea_history", args=[area.pk])).status_code in (302, 403)
    url = reverse("admin:initiatives_focusarea_simple_history", args=[area.pk, version])
    assert skane.get(url).status_code == 403
    assert skane.post(url, {"summary": "Kapad"}).status_code == 403
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
def test_who_may_publish(area, settings, requires_editor):
    settings.PUBLISH_REQUIRES_EDITOR = requires_editor
    FocusArea.objects.filter(pk=area.pk).update(status="draft")
    anna = staff("anna", COORDINATOR_GROUP, area.region)
    data = form_data(anna.get(change_url(area)))
    data["status"] = "published"
    assert anna.post(change_url(area), data).status_code == 302
    area.refresh_from_db()
    assert area.status == ("draft" if requires_editor else "published")
    eva = staff("eva", EDITOR_GROUP)
    save(eva, area, status="published")
    area.refresh_from_db()
    assert area.status == "published"


# --- Checked on ----------------------------------------------------------------------------------


def test_coordinators_confirm_content_and_the_admin_lists_what_is_stale(area):
    import datetime

    from django.utils import timezone

    from contacts.models import Contact

    from .factories import make_contact

    fresh = make_contact(area.region, name="Nyss kontrollerad", checked_on=timezone.localdate())
    stale = make_contact(
        area.region, name="Gammal", checked_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    never = make_contact(area.region, name="Aldrig")
    anna = staff("anna", COORDINATOR_GROUP, area.region)
    changelist = reverse("admin:contacts_contact_changelist")
    html = anna.get(changelist, {"kontrollerad": "gammal"}).content.decode()
    assert "Gammal" in html and "Aldrig" in html and "Nyss kontrollerad" not in html

    anna.post(changelist, {"action": "mark_checked_today", "_selected_action": [stale.pk, never.pk]})
    assert set(Contact.objects.filter(checked_on=timezone.localdate()).values_list("name", flat=True)) == {
        fresh.name,
        stale.name,
        never.name,
    }
    assert never.history.latest().history_user.username == "anna"
    assert "Aldrig" not in anna.get(changelist, {"kontrollerad": "gammal"}).content.decode()


# --- Erasure -------------------------------------------------------------------------------------


def test_deleting_a_contact_erases_it_from_history_and_the_admin_log(area):
    from django.contrib.admin.models import LogEntry

    from contacts.models import Contact

    from .factories import make_contact

    person = make_contact(area.region, name="Karin Privat", phone="070-111 22 33")
    keep = make_contact(area.region, name="Per Kvar")
    eva = staff("eva", EDITOR_GROUP)
    change = reverse("admin:contacts_contact_change", args=[person.pk])
    data = form_data(eva.get(change))
    data["phone"] = "070-999 88 77"
    eva.post(change, data)
    assert (
        "raderar också alla tidigare versioner"
        in eva.get(reverse("admin:contacts_contact_delete", args=[person.pk])).content.decode()
    )

    eva.post(reverse("admin:contacts_contact_delete", args=[person.pk]), {"post": "yes"})

    assert not Contact.objects.filter(pk=person.pk).exists()
    assert not Contact.history.filter(id=person.pk).exists()
    assert Contact.history.filter(id=keep.pk).exists()
    entries = LogEntry.objects.filter(object_id=str(person.pk), content_type__model="contact")
    assert entries.count() == 2  # the change and the deletion, still logged
    assert not entries.filter(object_repr__contains="Karin").exists()


def test_bulk_deleting_contacts_erases_them_too(area):
    from contacts.models import Contact

    from .factories import make_contact

    people = [make_contact(area.region, name=f"Person {n}") for n in range(3)]
    eva = staff("eva", EDITOR_GROUP)
    eva.post(
        reverse("admin:contacts_contact_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )
    assert not Contact.objects.filter(pk__in=[p.pk for p in people]).exists()
    assert not Contact.history.filter(id__in=[p.pk for p in people]).exists()
