"""The filterable list and the search results in a real browser, on phones and on a desktop, in Swedish and
with the English interface: no sideways scrolling, no WCAG violations (axe), the filters short enough on a
phone, and a visitor without JavaScript filtering on a region that is not among the first six."""

import re

import pytest

from .wcag import violations

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rendering]

WIDTHS = [320, 375, 1280]
LANGUAGES = ["", "/en"]
PAGES = [
    "/insatsomraden/",
    "/insatsomraden/?region=orebro&region=kalmar&tema=digitalisering&sortera=rubrik",
    "/sok/?q=besöksnäringen",
]

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# What sticks out on the right, so that a failure says where to look.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className} “${e.textContent.trim().slice(0, 30)}”`)"""
# Open every facet group and every "Visa alla": the longest the form can be.
OPEN_ALL = "document.querySelectorAll('form.filters details').forEach(d => d.open = true)"


def test_lists_and_search_fit_every_width_and_pass_axe(site, page):
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for language in LANGUAGES:
            for path in PAGES:
                page.goto(site + language + path)
                states = [("", None)]
                if "insatsomraden" in path:
                    states.append((" (all groups open)", OPEN_ALL))
                for state, script in states:
                    if script:
                        page.evaluate(script)
                    where = f"{width}px {language}{path}{state}"
                    if (overflow := page.evaluate(OVERFLOW)) > 0:
                        sticking_out = page.evaluate(STICKING_OUT)
                        problems[where] = [f"{overflow}px wider than the screen", sticking_out]
                    if found := violations(page):
                        problems.setdefault(where, []).append(found)
    assert problems == {}


@pytest.mark.parametrize("language", LANGUAGES, ids=["sv", "en"])
def test_on_a_phone_the_filters_take_at_most_a_screen(site, browser, language):
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + language + "/insatsomraden/")
    form = page.locator("form.filters").bounding_box()
    assert form["height"] <= 800
    first_result = page.locator(".result-list > li").first.bounding_box()
    assert first_result["y"] < 1100  # was about 2,070 px with every option listed in scroll boxes
    jump = page.locator(".jump-to-results a")
    assert (
        jump.is_visible() and jump.bounding_box()["y"] < 800
    )  # and a way to the results on the first screen
    context.close()


@pytest.mark.parametrize(
    "language, width", [("", 320), ("", 1280), ("/en", 375)], ids=["sv-320", "sv-1280", "en-375"]
)
def test_a_visitor_without_javascript_filters_on_regions_beyond_the_first_six(site, browser, language, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + language + "/insatsomraden/")
    regions = page.locator("details.facet").filter(has=page.locator("#filter-region"))
    orebro = page.get_by_label("Örebro")
    vastra_gotaland = page.get_by_label("Västra Götaland")

    # The group is closed: only its name shows. Opened, it shows the first six, not Örebro.
    assert not page.get_by_label("Halland").is_visible()
    regions.locator("summary").first.click()
    assert page.get_by_label("Halland").is_visible()
    assert not orebro.is_visible() and not vastra_gotaland.is_visible()

    show_all = regions.locator("details.more-options > summary")
    assert re.fullmatch(r"(Visa alla|Show all) \(21\)", show_all.inner_text().strip())
    show_all.click()
    assert orebro.is_visible() and vastra_gotaland.is_visible()
    assert re.fullmatch(r"Visa färre|Show fewer", show_all.inner_text().strip())
    orebro.check()
    vastra_gotaland.check()
    page.get_by_role("button", name=re.compile(r"^(Visa|Show)$")).click()

    page.wait_for_url(re.compile(r"(?=.*[?&]region=orebro&)(?=.*[?&]region=vastra-gotaland&).*"))
    count = int(re.match(r"\d+", page.locator(".result-count").inner_text()).group(0))
    metas = page.locator(".result-list .meta").all_inner_texts()
    assert count == len(metas) == 5  # Örebro's 2 and Västra Götaland's 3
    assert all(m.startswith(("Region Örebro", "Västra Götalandsregionen")) for m in metas)
    # The chosen regions now show before "Visa alla", ticked, in a group that is open and says so.
    assert page.get_by_label("Örebro").is_visible() and page.get_by_label("Örebro").is_checked()
    assert re.search(r"\(2 (valda|selected)\)", regions.locator("summary").first.inner_text())
    assert page.evaluate(OVERFLOW) <= 0
    context.close()


def test_search_snippets_mark_whole_words_without_splitting_them(site, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/sok/?q=besöksnäring")
    marks = page.locator(".snippet mark")
    assert marks.count() > 0
    for text in marks.all_inner_texts():
        assert re.fullmatch(r"[^\W_]+(?:[-:][^\W_]+)*", text), text
        assert text.lower().startswith("besöksnäring")  # "besöksnäringen", whole, not "besöksnäring"+"en"
    # The mark sits flush with its word's neighbours: no padding between a word and its ending.
    padding = marks.first.evaluate(
        "m => getComputedStyle(m).paddingLeft + ' ' + getComputedStyle(m).paddingRight"
    )
    assert padding == "0px 0px"
    for snippet in page.locator(".snippet").all_inner_texts():
        assert not re.search(r"…\S|\S…", snippet), snippet  # "… word", never "…rd"


def test_a_keyboard_user_opens_groups_and_visa_alla_and_filters(site, page):
    """The old keyboard path (tests/browser/test_accessibility.py) with the groups: a notice opens its
    group, a closed group opens with Enter on its summary, "Visa alla" likewise."""
    from .test_accessibility import tab_to

    page.goto(site + "/insatsomraden/?tema=finns-inte")
    tab_to(page, '.notice a[href="#filter-tema"]')
    page.keyboard.press("Enter")
    assert (
        page.evaluate("document.activeElement.id") == "filter-tema"
    )  # its group is open: a notice is about it

    # Cirkulär ekonomi is not among the six themes with most results: it is behind "Visa alla".
    hidden = 'input[name="tema"][value="cirkular-ekonomi"]'
    assert not page.locator(hidden).is_visible()
    tab_to(page, "details.facet:has(#filter-tema) details.more-options > summary")
    page.keyboard.press("Enter")
    tab_to(page, hidden)
    page.keyboard.press("Space")

    # The dimension group is closed; its options are not in the tab order until it is opened.
    tab_to(page, "details.facet:has(#filter-dimension) > summary")
    assert not page.locator('input[name="dimension"]').first.is_visible()
    page.keyboard.press("Enter")
    tab_to(page, 'input[name="dimension"][value="miljomassig"]')
    page.keyboard.press("Space")
    tab_to(page, ".filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**tema=cirkular-ekonomi**")
    assert "dimension=miljomassig" in page.url
