"""The editorial jobs in a real browser: a coordinator and an editor each save a region page, assign a
coordinator, restore an older version and see it live, and resolve a two-person conflict with both edits
kept. axe checks the restore page and the conflict screen."""

import pytest
from playwright.sync_api import expect

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea
from regions.models import Region

from .staff import log_in, publish, staff
from .wcag import violations

pytestmark = pytest.mark.django_db(transaction=True)


def save(page):
    publish(page)


def restore_the_oldest_version(page, site, obj):
    opts = obj._meta
    page.goto(f"{site}/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/")
    page.get_by_role("link", name="Historik").click()
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Det här ändras om du återställer versionen")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Återställ den här versionen").click()
    expect(page.locator(".messagelist .success")).to_contain_text("är återställd")


def test_a_coordinator_saves_the_region_page_and_restores_an_older_version(site, page):
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    kalmar = Region.objects.get(slug="kalmar")
    original = kalmar.introduction
    log_in(page, site, "samordnare-kalmar")
    page.goto(f"{site}/admin/regions/region/{kalmar.pk}/change/")
    page.get_by_label("Inledning").fill("Region Kalmar läns nya inledning, skriven av samordnaren.")
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert "nya inledning" in page.goto(site + "/regioner/kalmar/").text()

    restore_the_oldest_version(page, site, kalmar)
    public = page.goto(site + "/regioner/kalmar/").text()
    assert "nya inledning" not in public and original.split(".")[0] in public


def test_an_editor_assigns_a_coordinator_and_restores_an_insatsomrade(site, page):
    staff("redaktor", EDITOR_GROUP)
    newcomer = staff("ny-samordnare", COORDINATOR_GROUP)
    kalmar = Region.objects.get(slug="kalmar")
    log_in(page, site, "redaktor")
    page.goto(f"{site}/admin/regions/region/{kalmar.pk}/change/")
    page.get_by_label("ny-samordnare").check()
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert list(kalmar.coordinators.all()) == [newcomer]

    area = FocusArea.objects.get(region=kalmar, slug="digital-omstallning")
    page.goto(f"{site}/admin/initiatives/focusarea/{area.pk}/change/")
    page.get_by_label("Ingress").fill("En ingress som redaktionen ångrar.")
    page.locator("#id_activities-0-body").fill("En aktivitet som redaktionen ångrar.")
    save(page)
    restore_the_oldest_version(page, site, area)
    public = page.goto(site + area.get_absolute_url()).text()
    assert "ångrar" not in public and area.summary[:40] in public


def test_two_people_at_once_keep_both_edits_and_choose_where_they_collide(site, browser, page):
    staff("redaktor", EDITOR_GROUP)
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    area = FocusArea.objects.get(region__slug="kalmar", slug="digital-omstallning")
    url = f"{site}/admin/initiatives/focusarea/{area.pk}/change/"
    editor = page
    coordinator = browser.new_context().new_page()
    log_in(editor, site, "redaktor")
    log_in(coordinator, site, "samordnare-kalmar")
    editor.goto(url)
    coordinator.goto(url)

    # Different fields: both kept, and the editor is told whose change is in.
    coordinator.get_by_label("Ingress").fill("Samordnarens ingress.")
    save(coordinator)
    expect(coordinator.locator(".messagelist .success")).to_be_visible()
    editor.get_by_label("Brödtext").fill("Redaktionens brödtext.")
    save(editor)
    expect(editor.locator(".messagelist .warning")).to_contain_text("samordnare-kalmar")
    area.refresh_from_db()
    assert (area.summary, area.body) == ("Samordnarens ingress.", "Redaktionens brödtext.")

    # The same field: the second saver sees both values, chooses, and the other's edits stay.
    editor.goto(url)
    coordinator.goto(url)
    coordinator.get_by_label("Ingress").fill("Samordnarens andra ingress.")
    coordinator.locator("#id_title").fill("Digital omställning i Kalmar län")
    save(coordinator)
    editor.get_by_label("Ingress").fill("Redaktionens ingress.")
    save(editor)
    expect(editor.locator(".errornote")).to_be_visible()
    summary = editor.get_by_label("Ingress")
    assert summary.input_value() == "Redaktionens ingress."
    notes = " ".join(
        editor.locator(f"#{i}").inner_text() for i in summary.get_attribute("aria-describedby").split()
    )
    assert "Samordnarens andra ingress." in notes
    assert editor.locator("#id_title").input_value() == "Digital omställning i Kalmar län"
    assert violations(editor) == []
    save(editor)  # the editor keeps their wording
    expect(editor.locator(".messagelist .success")).to_be_visible()
    area.refresh_from_db()
    assert (area.summary, area.title) == ("Redaktionens ingress.", "Digital omställning i Kalmar län")
    assert "Digital omställning i Kalmar län" in editor.goto(site + area.get_absolute_url()).text()


CLIPPED_FIELDS = """() => {
  const clipped = [];
  for (const field of document.querySelectorAll('#content input, #content textarea, #content select')) {
    if (!field.offsetParent || field.type === 'hidden' || field.type === 'checkbox') continue;
    let box = field.parentElement;
    while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    const right = field.getBoundingClientRect().right;
    const limit = box ? box.getBoundingClientRect().right : document.documentElement.clientWidth;
    if (right > limit + 1) clipped.push(field.id);
  }
  return clipped;
}"""


def test_a_coordinator_sees_every_field_whole_on_a_320_px_phone(site, page):
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    area = FocusArea.objects.get(region__slug="kalmar", slug="digital-omstallning")
    page.set_viewport_size({"width": 320, "height": 700})
    log_in(page, site, "samordnare-kalmar")
    for path in [
        f"/admin/initiatives/focusarea/{area.pk}/change/",
        f"/admin/regions/region/{area.region_id}/change/",
    ]:
        page.goto(site + path)
        assert page.evaluate(CLIPPED_FIELDS) == [], path  # activity fields ran 20 px past their rows
