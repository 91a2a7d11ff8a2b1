"""A citizen's way through the portal in a real browser, on a phone-sized screen and with JavaScript off."""

import re

import pytest

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "width, javascript", [(1280, True), (375, True), (375, False)], ids=["desktop", "phone", "phone-no-js"]
)
def test_citizen_finds_work_filters_searches_and_gets_a_contact(site, browser, width, javascript):
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site + "/")
    page.locator('svg a[aria-label^="Region Gotland"]').click()
    page.wait_for_url("**/regioner/gotland/")
    assert page.locator('a[href^="tel:+4670"]').first.inner_text() == "070-447 67 31"

    # The insatsområde's card (the fact box's theme link has the same name).
    page.locator("#insatsomraden").get_by_role("link", name="Besöksnäring", exact=True).click()
    page.wait_for_url("**/regioner/gotland/besoksnaring/")
    page.locator(".fact-box").get_by_role("link", name="Besöksnäring").click()
    page.wait_for_url("**/teman/besoksnaring/")

    page.get_by_role("link", name="Filtrera insatsområdena").click()
    page.wait_for_url(re.compile(r".*/insatsomraden/\?tema=besoksnaring"))
    page.locator("summary", has_text="Hållbarhetsdimension").click()  # a collapsed filter group
    page.get_by_label("Social hållbarhet").check()
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r".*dimension=social.*"))
    assert page.locator(".result-count").inner_text().startswith("3 insatsområden")

    page.locator("#header-q").fill("kompetensförsörjning")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/sok/**")
    assert "träffar för ”kompetensförsörjning”" in page.locator(".result-count").inner_text()
    context.close()


def test_language_switch_keeps_the_page_and_the_filters(site, page):
    page.goto(site + "/insatsomraden/?tema=besoksnaring")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/insatsomraden/?tema=besoksnaring")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Focus areas"
    page.get_by_role("link", name="Svenska").click()
    page.wait_for_url("**/insatsomraden/?tema=besoksnaring")
    assert page.locator("html").get_attribute("lang") == "sv"
