"""Review before publishing, as the coordinator and the editor do it: through the pages the admin renders.

A coordinator (PUBLISH_REQUIRES_EDITOR on) edits a published insatsområde and sends it for review; the
public site, the search, the feed and the API keep the published text; the editors get an e-mail; an
editor sees the change word by word in the queue and approves it, or sends it back with a comment that
reaches the coordinator. The same on PostgreSQL with real transactions: tests/test_review_postgres.py.
"""

import pytest
from django.core import mail
from django.urls import reverse

from contacts.models import Contact
from editorial.models import ReviewEvent, Revision
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import Activity, FocusArea, Status

from .admin_forms import add_inline, admin_url, as_user, change_form, errors
from .factories import make_activity, make_contact, make_focus_area, make_region, make_staff

pytestmark = pytest.mark.django_db

OLD_BODY = "Regionen arbetar med besöksnäringens omställning och med hållbara resor i hela länet."
NEW_BODY = "Regionen arbetar med besöksnäringens omställning, med vätgaskluster och med hållbara resor."


@pytest.fixture(autouse=True)
def _review_required(settings):
    settings.PUBLISH_REQUIRES_EDITOR = True


@pytest.fixture
def area():
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    area = make_focus_area(region=gotland, title="Besöksnäring", slug="besoksnaring", body=OLD_BODY)
    make_activity(area, title="Steg ett", body="Det första steget.")
    return area


@pytest.fixture
def eva():
    return make_staff("eva", EDITOR_GROUP, email="eva@tillvaxtverket.se")


@pytest.fixture
def anna(area):
    return make_staff("anna", COORDINATOR_GROUP, area.region, email="anna@gotland.se")


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def public_texts(client, area):
    """What a visitor gets: the page, the feed and the API, as one text."""
    pages = [area.get_absolute_url(), reverse("focus_area_feed"), "/api/v1/focus-areas/?page_size=100"]
    return " ".join(client.get(url).content.decode() for url in pages)


def search_finds(client, area, word="vätgaskluster"):
    page = client.get(reverse("search"), {"q": word}).content.decode()
    return f'href="{area.get_absolute_url()}"' in page


def submit_for_review(app, area, anna, django_capture_on_commit_callbacks):
    form = change_form(app, area, anna)
    assert "_save" not in form.fields  # no Publicera for a coordinator who may not publish
    form["body"] = NEW_BODY
    index = add_inline(form, "activities")
    form[f"activities-{index}-order"] = "2"
    form[f"activities-{index}-body"] = "Ett nytt steg."
    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit("_submit_review")
    assert response.status_code == 302, errors(response)
    return Revision.objects.get()


def test_a_coordinators_change_waits_for_an_editor_and_is_published_when_approved(
    app, client, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)

    # The public site still shows the published text, everywhere.
    assert reload(area).body == OLD_BODY and Activity.objects.count() == 1
    assert "vätgaskluster" not in public_texts(client, area) and not search_finds(client, area)
    assert revision.state == Revision.State.SUBMITTED and revision.submitted_by == anna

    # The editors are told, with a link to the review.
    (message,) = mail.outbox
    assert message.to == ["eva@tillvaxtverket.se"] and "Besöksnäring" in message.subject
    review_url = reverse("admin:editorial_revision_change", args=[revision.pk])
    assert review_url in message.body

    # The queue lists it; its page shows the change word by word.
    queue = app.get(reverse("admin:editorial_revision_changelist"), user=eva).follow()
    assert "Besöksnäring" in queue.text
    page = app.get(review_url, user=eva)
    assert "vätgaskluster" in page.html.select_one(".word-diff ins").get_text()
    assert "Ett nytt steg." in page.text

    form = decision_form(page, eva)
    form["comment"] = "Bra, tack!"
    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit("action", value="approve")
    assert response.status_code == 302, errors(response)

    area = reload(area)
    assert area.body == NEW_BODY and area.activities.count() == 2
    assert "vätgaskluster" in public_texts(client, area) and search_finds(client, area)
    revision.refresh_from_db()
    assert revision.state == Revision.State.PUBLISHED
    # The history records the submission and the approval.
    actions = list(revision.events.values_list("action", flat=True))
    assert actions == ["submitted", "published"]
    latest = area.history.latest()
    assert latest.history_user == eva and "anna" in latest.history_change_reason
    history = app.get(admin_url(area, "history"), user=eva)
    assert "skickade för granskning" in history.text and "godkände och publicerade" in history.text
    newest = history.html.select_one("#change-history tbody tr").get_text(" ", strip=True)
    assert "Brödtext" in newest and "Ny aktivitet: ”Ett nytt steg.”" in newest
    # Anna is told.
    assert mail.outbox[-1].to == ["anna@gotland.se"] and "Bra, tack!" in mail.outbox[-1].body


def test_sent_back_reaches_the_coordinator_with_the_comment_and_her_copy_is_kept(
    app, client, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    form = decision_form(page, eva)
    response = form.submit("action", value="send_back")
    assert "Skriv en kommentar" in response.text  # a send-back needs a reason
    form = decision_form(response, eva)
    form["comment"] = "Skriv ut vad vätgasklustret är."
    with django_capture_on_commit_callbacks(execute=True):
        assert form.submit("action", value="send_back").status_code == 302

    assert reload(area).body == OLD_BODY
    assert mail.outbox[-1].to == ["anna@gotland.se"]
    assert "Skriv ut vad vätgasklustret är." in mail.outbox[-1].body

    # Anna opens her insatsområde: her working copy, with the comment, ready to change and resubmit.
    page = app.get(admin_url(area, "change"), user=anna)
    assert "Skriv ut vad vätgasklustret är." in page.text
    form = as_user(page.forms["focusarea_form"], anna)
    assert form["body"].value == NEW_BODY and form["activities-1-body"].value == "Ett nytt steg."
    form["body"] = NEW_BODY + " Ett kluster är en samverkan mellan företag."
    with django_capture_on_commit_callbacks(execute=True):
        assert form.submit("_submit_review").status_code == 302
    revision.refresh_from_db()
    assert (
        revision.state == Revision.State.SUBMITTED and "kluster är en samverkan" in revision.data["body"][0]
    )
    assert reload(area).body == OLD_BODY


def test_a_draft_keeps_the_public_page_and_tells_nobody(app, client, area, anna):
    form = change_form(app, area, anna)
    form["summary"] = "En ny ingress om vätgaskluster."
    response = form.submit("_draft").follow()
    assert "Arbetskopian är sparad" in response.text
    assert response.forms["focusarea_form"]["summary"].value == "En ny ingress om vätgaskluster."
    assert reload(area).summary == "En ingress." and not mail.outbox
    assert Revision.objects.get().state == Revision.State.DRAFT


def test_a_coordinator_cannot_publish_by_naming_the_button(app, area, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    # An attacker's request names Spara, which the page does not offer: it is a working copy all the same.
    data = {name: value for name, value in form.submit_fields()} | {"_save": "Spara"}
    app.post(admin_url(area, "change"), data, user=anna)
    assert reload(area).body == OLD_BODY
    assert Revision.objects.get().data["body"] == [NEW_BODY]


def test_an_editor_publishes_a_working_copy_from_the_change_form(app, area, eva, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    form.submit("_draft")
    form = change_form(app, area, eva)
    assert form["body"].value == NEW_BODY  # the editor opens the working copy
    form["title"] = "Besöksnäring och resor"
    assert form.submit("_save").status_code == 302
    area = reload(area)
    assert (area.title, area.body) == ("Besöksnäring och resor", NEW_BODY)
    assert Revision.objects.get().state == Revision.State.PUBLISHED


def test_two_people_saving_one_working_copy_do_not_overwrite_each_other_unseen(app, area, eva, anna):
    first = change_form(app, area, anna)
    second = change_form(app, area, eva)
    first["summary"] = "Annas ingress."
    first.submit("_draft")
    second["body"] = "Evas text."
    response = second.submit("_draft")
    assert response.status_code == 200 and "sparade en arbetskopia" in errors(response)
    assert Revision.objects.get().data["summary"] == ["Annas ingress."]
    # Evas text is still in her form; saving again is deliberate.
    again = as_user(response.forms["focusarea_form"], eva)
    assert again["body"].value == "Evas text."


def test_an_editors_change_to_the_published_copy_is_merged_into_the_working_copy(app, area, eva, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    form.submit("_draft")
    # Meanwhile the published title changes without the form (as an import would): the working copy's
    # form is merged with it.
    FocusArea.objects.filter(pk=area.pk).update(title="Besöksnäringen")
    area = reload(area)
    area.save()  # a version in the history
    page = app.get(admin_url(area, "change"), user=anna)
    assert "Någon annan sparade medan du redigerade" in page.html.select_one(".messagelist").get_text()
    form = as_user(page.forms["focusarea_form"], anna)
    assert form["title"].value == "Besöksnäringen" and form["body"].value == NEW_BODY
    form.submit("_draft")
    assert Revision.objects.get().data["title"] == ["Besöksnäringen"]


def test_deleting_a_published_item_is_a_request_an_editor_approves(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    contact = make_contact(area.region, name="Karin Berg", email="karin@gotland.se")
    page = app.get(admin_url(contact, "delete"), user=anna)
    assert "Begär att" in page.text
    form = as_user(next(f for f in page.forms.values() if "post" in f.fields), anna)
    with django_capture_on_commit_callbacks(execute=True):
        form.submit()
    assert Contact.objects.filter(pk=contact.pk).exists()
    revision = Revision.objects.get(kind=Revision.Kind.DELETE)
    assert mail.outbox and "Begäran om borttagning" in mail.outbox[0].subject

    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    form = decision_form(page, eva)
    form.submit("action", value="approve")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    revision.refresh_from_db()
    assert revision.events.last().action == ReviewEvent.Action.DELETED


def test_a_new_insatsomrade_is_published_by_an_editor_on_request(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    page = app.get(admin_url(FocusArea, "add"), user=anna)
    form = as_user(page.forms["focusarea_form"], anna)
    assert form["region"].value == str(area.region.pk)  # her only region, preselected
    form["title"] = "Cirkulär ekonomi"
    form["slug"] = "cirkular-ekonomi"
    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit("_submit_review")
    assert response.status_code == 302, errors(response)
    new = FocusArea.objects.get(slug="cirkular-ekonomi")
    assert new.status == Status.DRAFT
    revision = Revision.objects.get(kind=Revision.Kind.PUBLISH)
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    decision_form(page, eva).submit("action", value="approve")
    assert reload(new).status == Status.PUBLISHED


def test_the_preview_shows_the_working_copy_on_the_real_page_and_changes_nothing(app, client, area, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    form.submit("_draft")
    revision = Revision.objects.get()
    page = app.get(reverse("admin:editorial_revision_preview", args=[revision.pk]), user=anna)
    assert "vätgaskluster" in page.text and "Förhandsvisning" in page.text
    assert page.headers["X-Robots-Tag"] == "noindex"
    assert reload(area).body == OLD_BODY and "vätgaskluster" not in client.get(area.get_absolute_url()).text


def test_another_regions_coordinator_sees_no_revision_of_this_region(app, area, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    form.submit("_draft")
    revision = Revision.objects.get()
    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    sven = make_staff("sven", COORDINATOR_GROUP, other)
    url = reverse("admin:editorial_revision_change", args=[revision.pk])
    assert app.get(url, user=sven, expect_errors=True).status_code == 404
    assert (
        app.get(
            reverse("admin:editorial_revision_preview", args=[revision.pk]), user=sven, expect_errors=True
        ).status_code
        == 404
    )
    queue = app.get(reverse("admin:editorial_revision_changelist") + "?lage=oppen", user=sven)
    assert "Besöksnäring" not in queue.text


def decision_form(page, user):
    return as_user(page.forms["review-decision"], user)


def working_copy_form(page, user):
    return as_user(page.forms["working-copy"], user)


def test_taking_a_submission_back_keeps_the_copy_and_discarding_asks_first_and_can_be_undone(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)
    url = reverse("admin:editorial_revision_change", args=[revision.pk])
    # Anna takes it back from review: it is her draft again, text and all.
    working_copy_form(app.get(url, user=anna), anna).submit("action", value="unsubmit")
    revision.refresh_from_db()
    assert revision.state == Revision.State.DRAFT and revision.data["body"] == [NEW_BODY]
    # Eva discards it: not without saying so, and Anna is told.
    form = working_copy_form(app.get(url, user=eva), eva)
    response = form.submit("action", value="discard")
    assert "Kryssa i" in response.text
    revision.refresh_from_db()
    assert revision.is_open
    form = working_copy_form(response, eva)
    form["confirm_discard"] = True
    form["comment"] = "Dubblett av en annan ändring."
    with django_capture_on_commit_callbacks(execute=True):
        form.submit("action", value="discard")
    revision.refresh_from_db()
    assert revision.state == Revision.State.WITHDRAWN
    assert mail.outbox[-1].to == ["anna@gotland.se"] and "Dubblett" in mail.outbox[-1].body
    # Nothing is lost: Anna reopens the discarded copy and finds her text in the form.
    working_copy_form(app.get(url, user=anna), anna).submit("action", value="reopen")
    page = app.get(admin_url(area, "change"), user=anna)
    assert page.forms["focusarea_form"]["body"].value == NEW_BODY


def test_an_editor_can_fix_the_published_copy_without_publishing_a_draft(app, client, area, eva, anna):
    form = change_form(app, area, anna)
    form["body"] = "HALVFÄRDIGT utkast."
    form.submit("_draft")
    page = app.get(admin_url(area, "change"), user=eva)
    notice = page.html.select_one(".review-status").get_text(" ", strip=True)
    assert "Publicera publicerar hela arbetskopian" in notice
    page = page.click("Redigera den publicerade versionen i stället")
    form = as_user(page.forms["focusarea_form"], eva)
    assert form["body"].value == OLD_BODY
    form["title"] = "Besöksnäringen"
    assert form.submit("_save").status_code == 302
    area = reload(area)
    assert (area.title, area.body) == ("Besöksnäringen", OLD_BODY)
    assert "HALVFÄRDIGT" not in client.get(area.get_absolute_url()).text
    revision = Revision.objects.get()
    assert revision.is_open and revision.data["body"] == ["HALVFÄRDIGT utkast."]
    # Anna's copy takes in Eva's title when she opens it.
    page = app.get(admin_url(area, "change"), user=anna)
    assert page.forms["focusarea_form"]["title"].value == "Besöksnäringen"


def test_what_was_approved_stays_readable_after_it_is_published(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)
    url = reverse("admin:editorial_revision_change", args=[revision.pk])
    decision_form(app.get(url, user=eva), eva).submit("action", value="approve")
    page = app.get(url, user=eva)
    assert "vätgaskluster" in page.html.select_one(".word-diff ins").get_text()
    assert "Ett nytt steg." in page.text and "finns längre" not in page.text
    assert "Publicerad" in page.html.select_one(".review-facts").get_text()


def test_a_deletion_request_says_what_it_is_and_the_erased_contact_leaves_no_name(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    contact = make_contact(area.region, name="Karin Berg", email="karin@gotland.se")
    page = app.get(admin_url(contact, "delete"), user=anna)
    text = page.html.select_one("#content").get_text(" ", strip=True)
    assert "Begär att" in text and "Är du säker" not in text and "raderar också alla tidigare" not in text
    form = as_user(page.forms["deletion-request"], anna)
    form["comment"] = "Hon har slutat."
    with django_capture_on_commit_callbacks(execute=True):
        form.submit()
    revision = Revision.objects.get(kind=Revision.Kind.DELETE)
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    assert "Hon har slutat." in page.text
    decision_form(page, eva).submit("action", value="approve").follow()  # "… är borttagen", once
    for url in [
        reverse("admin:editorial_revision_changelist") + "?lage=oppen",
        reverse("admin:editorial_revision_changelist") + "?lage=published",
        reverse("admin:editorial_changelog"),
        reverse("admin:editorial_revision_change", args=[revision.pk]),
    ]:
        assert "Karin" not in app.get(url, user=eva).text, url
    review = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    assert "Borttagen" in review.text


def test_a_crafted_row_version_does_not_reveal_another_regions_text(app, area, anna):
    from initiatives.models import Activity

    from .admin_forms import sent_fields

    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    secret = make_focus_area(region=other, title="Hemligt", status="draft")
    hidden = make_activity(secret, title="", body="HEMLIG aktivitet om budget 2027.")
    form = change_form(app, area, anna)
    data = sent_fields(form) | {"_draft": ["Spara som utkast"]}
    # The attacker points his own row at the other region's activity and its version.
    data["activities-0-id"] = [str(hidden.pk)]
    data["activities-0-loaded_version"] = [str(Activity.history.filter(id=hidden.pk).latest().history_id)]
    response = app.post(admin_url(area, "change"), data, user=anna).maybe_follow()
    assert "HEMLIG" not in response.text


def test_the_review_shows_the_change_as_it_will_be_published_after_a_fix_to_the_published_copy(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)
    page = app.get(admin_url(area, "change") + "?publicerad=1", user=eva)
    form = as_user(page.forms["focusarea_form"], eva)
    form["summary"] = "Evas rättade ingress."
    assert form.submit("_save").status_code == 302
    assert reload(area).summary == "Evas rättade ingress."
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    text = " ".join(node.get_text() for node in page.html.select(".field-change"))
    assert "Evas rättade" not in text  # the fix stays: publishing does not take it out
    assert "vätgaskluster" in text


def test_an_approval_that_would_drop_a_rows_change_is_refused_and_says_why(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    form = change_form(app, area, anna)
    form["activities-0-body"] = "Annas nya text i steg ett."
    with django_capture_on_commit_callbacks(execute=True):
        form.submit("_submit_review")
    revision = Revision.objects.get()
    area.activities.get().delete()  # meanwhile, the activity goes from the published copy
    page = app.get(reverse("admin:editorial_revision_change", args=[revision.pk]), user=eva)
    assert "Steg ett" in page.text  # named, not "en rad"
    response = decision_form(page, eva).submit("action", value="approve")
    assert response.status_code == 200 and "Inget är publicerat" in response.text
    assert "Annas nya text i steg ett." in response.text
    revision.refresh_from_db()
    assert revision.state == Revision.State.SUBMITTED


def test_replacing_somebody_elses_working_copy_keeps_it_to_reopen(app, area, eva, anna):
    annas = change_form(app, area, anna)
    evas = change_form(app, area, eva)
    annas["summary"] = "ANNAC2"
    annas.submit("_draft")
    evas["title"] = "Evas rubrik"
    refused = evas.submit("_save")
    assert "sparade en arbetskopia" in errors(refused)
    again = as_user(refused.forms["focusarea_form"], eva)
    assert again.submit("_save").status_code == 302  # deliberately, after the warning
    assert reload(area).title == "Evas rubrik"
    replaced = Revision.objects.get(data__summary=["ANNAC2"])
    assert replaced.state == Revision.State.WITHDRAWN
    assert replaced.events.last().action == ReviewEvent.Action.REPLACED
    page = app.get(reverse("admin:editorial_revision_change", args=[replaced.pk]), user=anna)
    assert "Återuppta arbetskopian" in page.text


def test_a_new_public_contact_from_a_coordinator_waits_for_an_editor_and_says_so(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    page = app.get(admin_url(Contact, "add"), user=anna)
    form = as_user(page.forms["contact_form"], anna)
    form["name"] = "Nils Nyman"
    assert form["is_public"].checked
    with django_capture_on_commit_callbacks(execute=True):
        response = form.submit("_save").follow()
    assert "när en redaktör har godkänt" in response.text
    contact = Contact.objects.get(name="Nils Nyman")
    assert not contact.is_public
    revision = Revision.objects.get(kind=Revision.Kind.PUBLISH)
    assert revision.object_id == contact.pk and mail.outbox


def test_a_too_long_comment_is_refused_whole_and_a_publication_request_shows_its_content(
    app, area, eva, anna, django_capture_on_commit_callbacks
):
    revision = submit_for_review(app, area, anna, django_capture_on_commit_callbacks)
    url = reverse("admin:editorial_revision_change", args=[revision.pk])
    form = decision_form(app.get(url, user=eva), eva)
    form["comment"] = "x" * 5000  # past the box's maxlength, which only a crafted request can be
    response = form.submit("action", value="send_back")
    assert "högst 4000" in response.text
    revision.refresh_from_db()
    assert revision.state == Revision.State.SUBMITTED

    page = app.get(admin_url(FocusArea, "add"), user=anna)
    form = as_user(page.forms["focusarea_form"], anna)
    assert form["order"].value == str(area.order + 1)  # after the region's last
    form["title"] = "Cirkulär ekonomi"
    form["slug"] = "cirkular-ekonomi"
    form["summary"] = "Regionen ställer om till cirkulära flöden."
    form.submit("_submit_review")
    request = Revision.objects.get(kind=Revision.Kind.PUBLISH)
    page = app.get(reverse("admin:editorial_revision_change", args=[request.pk]), user=eva)
    assert "Regionen ställer om till cirkulära flöden." in page.html.select_one(".field-changes").get_text()


def test_one_person_in_two_windows_keeps_what_the_first_window_saved(app, area, anna):
    first = change_form(app, area, anna)
    second = change_form(app, area, anna)
    first["summary"] = "A1-TEXT"
    first.submit("_draft")
    second["body"] = "A2-TEXT"
    refused = second.submit("_draft")
    assert "Du sparade en arbetskopia av det här" in errors(refused)
    as_user(refused.forms["focusarea_form"], anna).submit("_draft")
    kept = Revision.objects.get(data__summary=["A1-TEXT"])
    assert kept.state == Revision.State.WITHDRAWN
    assert [e.action for e in kept.events.all()] == ["saved", "replaced"]
    current = Revision.objects.open().get()
    assert current.data["body"] == ["A2-TEXT"] and [e.action for e in current.events.all()] == ["saved"]


def test_a_forged_row_id_is_refused_not_stored(app, area, anna):
    from .admin_forms import sent_fields

    other = make_region(name="Region Halland", short_name="Halland", slug="halland", county_code="13")
    foreign = make_activity(make_focus_area(region=other, title="Hallands"), body="Hallands steg.")
    form = change_form(app, area, anna)
    data = sent_fields(form) | {"_draft": ["Spara som utkast"], "activities-0-id": [str(foreign.pk)]}
    response = app.post(admin_url(area, "change"), data, user=anna)
    assert response.status_code == 200 and "hör inte till" in errors(response)
    assert not Revision.objects.exists()


def test_a_reopened_copy_says_when_a_row_in_it_has_gone(app, area, eva, anna):
    form = change_form(app, area, anna)
    form["activities-0-body"] = "Annas ändrade steg."
    form.submit("_draft")
    area.activities.get().delete()
    page = app.get(admin_url(area, "change"), user=anna)
    assert "togs bort eller flyttades" in page.html.select_one(".messagelist").get_text()


def test_publishing_a_copy_nobody_submitted_is_not_called_an_approval(app, area, eva, anna):
    form = change_form(app, area, anna)
    form["body"] = NEW_BODY
    form.submit("_draft")
    change_form(app, area, eva).submit("_save")
    event = Revision.objects.get().events.last()
    assert event.action == ReviewEvent.Action.PUBLISHED_DIRECTLY
    assert "godkände" not in event.get_action_display()
