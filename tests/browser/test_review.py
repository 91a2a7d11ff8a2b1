"""Review before publishing in a real browser, with PUBLISH_REQUIRES_EDITOR on: a coordinator starts from
her desk, changes a published insatsområde and sends it for review; the public page is unchanged; the
editor finds it on his start page, reads the word diff, previews it and approves; the public page shows
it. axe checks every new admin page at desktop and phone width."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from editorial.models import Revision
from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP
from initiatives.models import FocusArea

from .staff import log_in, staff
from .wcag import VIEWPORTS, violations

pytestmark = pytest.mark.django_db(transaction=True)

NEW_SUMMARY = "Kalmar bygger ett vätgaskluster tillsammans med länets företag och kommuner."


@pytest.fixture(autouse=True)
def _review_required(settings):
    settings.PUBLISH_REQUIRES_EDITOR = True


def test_a_change_goes_from_the_coordinators_desk_through_review_to_the_public_page(site, page, browser):
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar", email="samordnare@regionkalmar.se")
    staff("redaktor", EDITOR_GROUP, email="redaktor@tillvaxtverket.se")
    area = FocusArea.objects.get(region__slug="kalmar", slug="digital-omstallning")
    public_url = site + area.get_absolute_url()

    log_in(page, site, "samordnare-kalmar")
    expect(page.get_by_role("heading", name="Region Kalmar län")).to_be_visible()  # the desk
    page.goto(f"{site}/admin/initiatives/focusarea/{area.pk}/change/")
    expect(page.get_by_role("button", name="Publicera")).to_have_count(0)
    page.get_by_label("Ingress").fill(NEW_SUMMARY)
    page.get_by_role("button", name="Skicka för granskning").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("Skickat för granskning")
    expect(page.locator(".word-diff ins").first).to_contain_text("vätgaskluster")
    assert "vätgaskluster" not in page.goto(public_url).text()
    assert [m.to for m in mail.outbox] == [["redaktor@tillvaxtverket.se"]]

    editor = browser.new_context().new_page()
    log_in(editor, site, "redaktor")
    editor.get_by_role("link", name=re.compile("Digital omställning")).first.click()
    expect(editor.locator(".word-diff ins").first).to_contain_text("vätgaskluster")
    editor.get_by_role("link", name="Förhandsvisa på den publika sidan").click()
    expect(editor.locator(".preview-banner")).to_contain_text("Förhandsvisning")
    assert "vätgaskluster" in editor.locator("main").inner_text()
    editor.go_back()
    editor.get_by_label(re.compile("^Kommentar \\(krävs")).fill("Tack, tydligt!")
    editor.get_by_role("button", name="Godkänn och publicera").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("är publicerad")

    assert "vätgaskluster" in page.goto(public_url).text()
    assert Revision.objects.get().state == Revision.State.PUBLISHED
    assert mail.outbox[-1].to == ["samordnare@regionkalmar.se"] and "Tack, tydligt!" in mail.outbox[-1].body


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_no_wcag_violations_on_the_review_pages(site, page, browser, viewport):
    staff("samordnare-kalmar", COORDINATOR_GROUP, region="kalmar")
    staff("redaktor", EDITOR_GROUP)
    area = FocusArea.objects.get(region__slug="kalmar", slug="digital-omstallning")
    page.set_viewport_size(VIEWPORTS[viewport])
    problems = {}

    def check(who, name):
        if found := violations(who):
            problems[name] = found

    log_in(page, site, "samordnare-kalmar")
    check(page, "desk")
    page.goto(f"{site}/admin/initiatives/focusarea/{area.pk}/change/")
    page.get_by_label("Ingress").fill(NEW_SUMMARY)
    page.get_by_role("button", name="Spara som utkast").first.click()
    expect(page.locator(".review-status")).to_be_visible()
    check(page, "change form with a working copy")
    revision = Revision.objects.get()
    for name, path in [
        ("review page", f"/admin/editorial/revision/{revision.pk}/change/"),
        ("preview", f"/admin/editorial/revision/{revision.pk}/forhandsvisa/"),
        ("own queue", "/admin/editorial/revision/?lage=oppen"),
        ("history", f"/admin/initiatives/focusarea/{area.pk}/history/"),
        ("change log", "/admin/andringar/"),
    ]:
        page.goto(site + path)
        check(page, name)
    page.goto(f"{site}/admin/editorial/revision/{revision.pk}/change/")
    page.get_by_label("Ja, kasta arbetskopian").check()
    page.get_by_role("button", name="Kasta arbetskopian").click()
    expect(page.get_by_role("button", name="Återuppta arbetskopian")).to_be_visible()
    check(page, "a discarded working copy")

    editor = browser.new_context(viewport=VIEWPORTS[viewport]).new_page()
    log_in(editor, site, "redaktor")
    check(editor, "editor start page")
    for name, path in [
        ("queue", "/admin/editorial/revision/"),
        ("change log filtered", "/admin/andringar/?kind=focusarea&seed=on"),
    ]:
        editor.goto(site + path)
        check(editor, name)
    editor.goto(site + "/admin/andringar/?seed=on")
    editor.locator("#changelog tbody a").first.click()
    check(editor, "one change")
    assert problems == {}
