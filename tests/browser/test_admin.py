"""The admin in a real browser: an editor's and a coordinator's work, axe on its main pages, form errors."""

import pytest
from playwright.sync_api import expect

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea, Status

from .staff import log_in, publish, staff
from .wcag import VIEWPORTS, violations

pytestmark = pytest.mark.django_db(transaction=True)


def change_url(site, obj):
    return f"{site}/admin/initiatives/focusarea/{obj.pk}/change/"


def test_editor_edits_publishes_sees_it_live_and_in_the_history(site, page, csp_violations):
    staff("redaktor", EDITOR_GROUP)
    area = FocusArea.objects.get(region__slug="kalmar", slug="digital-omstallning")
    FocusArea.objects.filter(pk=area.pk).update(status=Status.DRAFT)
    assert page.goto(site + area.get_absolute_url()).status == 404

    log_in(page, site, "redaktor")
    page.goto(change_url(site, area))
    page.get_by_label("Ingress").fill(area.summary + " Uppdaterad av redaktionen i november.")
    page.get_by_label("Status").select_option(label="Publicerad")
    publish(page)
    expect(page.locator(".messagelist .success")).to_be_visible()

    public = page.goto(site + area.get_absolute_url())
    assert public.status == 200
    assert "Uppdaterad av redaktionen i november." in page.locator("main").inner_text()

    page.goto(change_url(site, area).replace("/change/", "/history/"))
    history = page.locator("#content").inner_text()
    assert "redaktor" in history and "ingress" in history.lower()
    assert csp_violations == []


def test_coordinator_sees_only_their_region_and_cannot_reach_another(site, page, csp_violations):
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    log_in(page, site, "samordnare-kalmar")

    page.goto(site + "/admin/initiatives/focusarea/")
    rows = page.locator("#result_list tbody tr")
    expected = FocusArea.objects.filter(region__slug="kalmar").count()
    assert rows.count() == expected > 0
    assert set(page.locator("#result_list tbody td.field-region").all_inner_texts()) == {"Region Kalmar län"}

    other = FocusArea.objects.filter(region__slug="skane").first()
    page.goto(change_url(site, other))
    assert page.locator("#focusarea_form").count() == 0  # no form to edit it
    assert other.title not in page.locator("#content").inner_text()
    assert page.goto(site + "/admin/regions/region/add/").status == 403
    assert csp_violations == []


def test_admin_form_errors_are_announced_and_linked_to_their_fields(site, page):
    staff("redaktor", EDITOR_GROUP)
    area = FocusArea.objects.filter(region__slug="kalmar").first()
    log_in(page, site, "redaktor")
    page.goto(change_url(site, area))
    page.locator("#id_title").fill("")
    publish(page)

    expect(page.locator(".errornote")).to_be_visible()
    title = page.locator("#id_title")
    assert title.get_attribute("aria-invalid") == "true"
    described_by = title.get_attribute("aria-describedby").split()
    errors = [page.locator(f"#{error_id}").inner_text() for error_id in described_by]
    assert "Detta fält måste fyllas i." in errors
    area.refresh_from_db()
    assert area.title  # nothing was saved


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_no_wcag_violations_on_the_main_admin_pages(site, page, viewport, csp_violations):
    page.set_viewport_size(VIEWPORTS[viewport])
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    area = FocusArea.objects.filter(region__slug="kalmar").first()
    problems = {}

    def check(name):
        if found := violations(page):
            problems[name] = found

    page.goto(site + "/admin/login/")
    check("login")
    log_in(page, site, "samordnare-kalmar")
    check("index")
    for name, path in [
        ("changelist", "/admin/initiatives/focusarea/"),
        ("changelist filtered", "/admin/initiatives/focusarea/?status__exact=published&q=digital"),
        ("change form", f"/admin/initiatives/focusarea/{area.pk}/change/"),
        ("add form", "/admin/contacts/contact/add/"),
        ("region", f"/admin/regions/region/{area.region_id}/change/"),
        ("history", f"/admin/initiatives/focusarea/{area.pk}/history/"),
    ]:
        page.goto(site + path)
        check(name)
    page.goto(site + f"/admin/initiatives/focusarea/{area.pk}/change/")
    page.locator("#id_title").fill("")
    publish(page)
    expect(page.locator(".errornote")).to_be_visible()
    check("change form with errors")
    assert problems == {}
    assert csp_violations == []
