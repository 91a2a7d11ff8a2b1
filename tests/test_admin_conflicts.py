"""Two people editing the same thing: a three-way merge, so that nobody's edit is lost.

Each test opens the change form as the page renders it (django-webtest), changes what a person would
type, and presses Spara, as the two people would in their browsers.
"""

import datetime

import pytest

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import Activity, FocusArea, Link

from .admin_forms import change_form, errors, tick
from .factories import make_activity, make_focus_area, make_link, make_region, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    gotland = make_region(name="Region Gotland", short_name="Gotland", slug="gotland", county_code="09")
    area = make_focus_area(
        region=gotland, title="Besöksnäring", summary="Första ingressen.", body="Första texten."
    )
    make_activity(area, title="Steg ett", body="Det första steget.")
    make_link(gotland, focus_area=area, label="Projektsidan", url="https://example.se/projekt")
    return area


@pytest.fixture
def eva():
    return make_staff("eva", EDITOR_GROUP)


@pytest.fixture
def anna(area):
    return make_staff("anna", COORDINATOR_GROUP, area.region)


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_fields_each_person_changed_are_both_kept(app, area, eva, anna):
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["summary"] = "Annas ingress."
    assert annas.submit("_save").status_code == 302

    evas["body"] = "Evas text."
    response = evas.submit("_save").follow()
    area = reload(area)
    assert (area.summary, area.body) == ("Annas ingress.", "Evas text.")
    notice = response.html.select_one(".messagelist .warning").get_text()
    assert "Någon annan sparade medan du redigerade" in notice and "ingress" in notice and "anna" in notice


def test_a_field_both_changed_is_shown_side_by_side_and_nothing_else_of_the_other_is_lost(
    app, area, eva, anna
):
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["summary"] = "Annas ingress."
    annas["body"] = "Annas text."
    annas.submit("_save")

    evas["summary"] = "Evas ingress."
    response = evas.submit("_save")
    assert response.status_code == 200
    text = errors(response)
    assert "Någon annan har sparat det här medan du redigerade" in text and "”ingress”" in text
    assert "Ändrat av anna" in text and "”Annas ingress.”" in text
    assert reload(area).summary == "Annas ingress."  # nothing saved yet

    # The form that came back: Eva's own input where she typed, Anna's saved text everywhere else.
    again = response.forms["focusarea_form"]
    assert again["summary"].value == "Evas ingress."
    assert again["body"].value == "Annas text."

    # Pressing Spara as the page says keeps Eva's choice and Anna's other edit.
    assert again.submit("_save").status_code == 302
    area = reload(area)
    assert (area.summary, area.body) == ("Evas ingress.", "Annas text.")


def test_an_activity_changed_by_someone_else_survives_a_stale_form(app, area, eva, anna):
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["activities-0-body"] = "Annas steg."
    annas.submit("_save")

    evas["summary"] = "Evas ingress."
    assert evas.submit("_save").status_code == 302
    assert Activity.objects.get(focus_area=area).body == "Annas steg."
    assert reload(area).summary == "Evas ingress."


def test_a_link_changed_on_its_own_page_survives_a_stale_form(app, area, eva, anna):
    link = Link.objects.get(focus_area=area)
    evas = change_form(app, area, eva)
    links_form = change_form(app, link, anna)
    links_form["url"] = "https://example.se/ny-adress"
    links_form.submit("_save")

    evas["body"] = "Evas text."
    assert evas.submit("_save").status_code == 302
    assert reload(link).url == "https://example.se/ny-adress"


def test_an_activity_both_changed_is_a_conflict_on_that_activity(app, area, eva, anna):
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["activities-0-body"] = "Annas steg."
    annas.submit("_save")

    evas["activities-0-body"] = "Evas steg."
    response = evas.submit("_save")
    assert response.status_code == 200
    assert "”Annas steg.”" in errors(response)
    assert Activity.objects.get(focus_area=area).body == "Annas steg."
    again = response.forms["focusarea_form"]
    assert again["activities-0-body"].value == "Evas steg."
    assert again.submit("_save").status_code == 302
    assert Activity.objects.get(focus_area=area).body == "Evas steg."


def test_many_to_many_choices_merge_too(app, area, eva, anna):
    from .factories import make_theme

    circular = make_theme(name="Cirkulär ekonomi")
    make_theme(name="Besöksnäring")
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    tick(annas, "themes", circular.pk)
    annas.submit("_save")

    evas["title"] = "Hållbar besöksnäring"
    assert evas.submit("_save").status_code == 302
    area = reload(area)
    assert area.title == "Hållbar besöksnäring"
    assert list(area.themes.all()) == [circular]


def test_the_conflict_names_the_time_in_the_admins_time_zone(app, area, eva, anna):
    from django.utils import timezone

    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["summary"] = "Annas ingress."
    annas.submit("_save")
    saved = area.history.latest().history_date
    evas["summary"] = "Evas ingress."
    text = errors(evas.submit("_save"))
    local, utc = timezone.localtime(saved).strftime("%H:%M"), saved.astimezone(datetime.UTC).strftime("%H:%M")
    assert local != utc  # Stockholm is never on UTC
    assert local in text and utc not in text


def test_a_form_without_its_version_is_refused(app, area, eva):
    form = change_form(app, area, eva)
    form["loaded_version"] = ""
    form["summary"] = "Utan version."
    response = form.submit("_save")
    assert response.status_code == 200 and "ladda om sidan" in errors(response)
    assert reload(area).summary == "Första ingressen."


def test_a_text_sent_back_with_a_browsers_line_breaks_is_no_change(app, area, eva, anna):
    # Browsers send a textarea's line breaks as CRLF (the HTML standard); the seed writes LF.
    area.body = "Första stycket.\n\nAndra stycket."
    area.save()
    evas = change_form(app, area, eva)
    annas = change_form(app, area, anna)
    annas["body"] = annas["body"].value.replace("\n", "\r\n")  # what Anna's browser sends, untouched
    annas["summary"] = "Annas ingress."
    assert annas.submit("_save").status_code == 302
    assert reload(area).body == "Första stycket.\n\nAndra stycket."
    assert [
        c.field for c in area.history.latest().diff_against(area.history.latest().prev_record).changes
    ] == ["summary"]

    evas["body"] = "Evas text."
    assert evas.submit("_save").status_code == 302  # no conflict over line breaks
    assert (reload(area).summary, reload(area).body) == ("Annas ingress.", "Evas text.")


def test_an_activity_deleted_meanwhile_does_not_block_the_save_and_is_reported(app, area, eva, anna):
    evas = change_form(app, area, eva)
    Activity.objects.get(focus_area=area).delete()  # Anna deletes it elsewhere
    evas["summary"] = "Evas ingress."
    evas["activities-0-body"] = "Evas ändrade steg."
    response = evas.submit("_save")
    assert response.status_code == 302, errors(response)
    notice = response.follow().html.select_one(".messagelist .warning").get_text()
    assert "Steg ett" in notice and "togs bort" in notice and "Evas ändrade steg." in notice
    assert reload(area).summary == "Evas ingress."
    assert not Activity.objects.filter(focus_area=area).exists()


def test_a_link_moved_to_another_region_meanwhile_is_reported_to_the_region_form(app, area, eva, anna):
    region = area.region
    make_link(region, label="Regionens länk")
    annas = change_form(app, region, anna)
    skane = make_region(name="Region Skåne", short_name="Skåne", slug="skane", county_code="12")
    Link.objects.filter(label="Regionens länk").update(region=skane)
    annas["links-0-label"] = "Annas länktext"
    annas["introduction"] = "Annas inledning."
    response = annas.submit("_save")
    assert response.status_code == 302, errors(response)
    notice = response.follow().html.select_one(".messagelist .warning").get_text()
    assert "Regionens länk" in notice and "Annas länktext" in notice
    assert Link.objects.get(label="Regionens länk").region == skane


@pytest.mark.parametrize("model", ["link", "focusarea", "region", "contact"])
def test_each_change_form_carries_its_version_once(app, area, eva, model):
    from contacts.models import Contact

    from .factories import make_contact

    make_contact(area.region)
    obj = {"link": Link, "focusarea": FocusArea, "contact": Contact}.get(model)
    obj = obj.objects.first() if obj else area.region
    form = change_form(app, obj, eva)
    assert len(form.fields["loaded_version"]) == 1
    assert len(form.response.html.select("#id_loaded_version")) == 1


def test_a_long_text_in_a_conflict_is_shown_whole(app, area, eva, anna):
    area.body = "Ett långt stycke. " * 40
    area.save()
    evas, annas = change_form(app, area, eva), change_form(app, area, anna)
    annas["body"] = area.body + "Annas sista mening."
    annas.submit("_save")
    evas["body"] = area.body + "Evas sista mening."
    assert "Annas sista mening." in errors(evas.submit("_save"))


def test_saving_without_changes_adds_no_version(app, area, eva):
    versions = area.history.count()
    assert change_form(app, area, eva).submit("_save").status_code == 302
    assert area.history.count() == versions


def test_a_browsers_untouched_form_adds_no_version(app, area, eva):
    area.body = "Första stycket.\n\nAndra stycket."
    area.save()
    versions = area.history.count()
    form = change_form(app, area, eva)
    form["body"] = form["body"].value.replace("\n", "\r\n")  # what a browser sends, untouched
    assert form.submit("_save").status_code == 302
    assert area.history.count() == versions


def test_deleting_an_activity_that_someone_else_just_changed_is_a_conflict(app, area, eva, anna):
    evas, annas = change_form(app, area, eva), change_form(app, area, anna)
    evas["activities-0-body"] = "Evas nya steg."
    evas.submit("_save")

    annas["activities-0-DELETE"] = True
    response = annas.submit("_save")
    assert response.status_code == 200
    text = errors(response)
    assert "Evas nya steg." in text and "eva" in text
    assert Activity.objects.get(focus_area=area).body == "Evas nya steg."  # nothing deleted yet
    assert response.forms["focusarea_form"].submit("_save").status_code == 302  # deleting on purpose
    assert not Activity.objects.filter(focus_area=area).exists()


def test_a_save_that_changes_only_an_activity_is_a_version_of_the_insatsomrade(app, area, eva):
    versions = area.history.count()
    form = change_form(app, area, eva)
    form["activities-0-body"] = "Bara steget ändrat."
    assert form.submit("_save").status_code == 302
    assert area.history.count() == versions + 1


def test_the_change_form_looks_up_the_activities_versions_in_one_query(app, area, eva):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(8):
        make_activity(area, title=f"Fler {n}")
    with CaptureQueriesContext(connection) as queries:
        change_form(app, area, eva)
    history = [q["sql"] for q in queries.captured_queries if "historicalactivity" in q["sql"]]
    assert len(history) == 1  # all nine activities' versions at once, not one query each
