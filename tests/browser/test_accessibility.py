"""WCAG 2.1 AA checks with axe-core in Chromium on every public page type, desktop and phone; keyboard use."""

import pytest

from .wcag import VIEWPORTS, violations

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = pytest.mark.django_db(transaction=True)


PAGES = [
    "/",
    "/regioner/",
    "/regioner/kalmar/",
    "/regioner/kalmar/digital-omstallning/",
    "/insatsomraden/",
    "/insatsomraden/?tema=cirkular-ekonomi&dimension=miljomassig&region=nope&sortera=rubrik",
    "/teman/",
    "/teman/cirkular-ekonomi/",
    "/obligatoriska-omraden/hallbarhet-i-foretagsstod-och-projektmedel/",
    "/jamfor/",
    "/jamfor/?region=kalmar&region=skane",
    "/sok/?q=besöksnäringen",
    "/sok/?q=zzqx",
    "/om/",
    "/tillganglighet/",
    "/finns-inte/",
]


# The public pages also at 320 px, the width WCAG's reflow criterion names (test_reflow.py checks the width).
PAGE_VIEWPORTS = {**VIEWPORTS, "narrow": {"width": 320, "height": 800}}


@pytest.mark.rendering
@pytest.mark.parametrize("viewport", PAGE_VIEWPORTS, ids=list(PAGE_VIEWPORTS))
def test_no_wcag_violations_on_any_page_type(site, page, viewport):
    page.set_viewport_size(PAGE_VIEWPORTS[viewport])
    problems = {}
    for language in ("", "/en"):  # the Swedish pages, and the same pages with the English interface
        for path in PAGES:
            page.goto(site + language + path)
            if found := violations(page):
                problems[language + path] = found
    assert problems == {}


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(site, page):
    page.goto(site + "/regioner/kalmar/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    box = page.evaluate("JSON.stringify(document.activeElement.getBoundingClientRect())")
    assert '"y":' in box and not box.startswith('{"x":0,"y":-')  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_every_region_on_the_map_is_reachable_and_operable_by_keyboard(site, page):
    page.goto(site + "/")
    names = []
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.closest('svg') ? document.activeElement.getAttribute('aria-label') : null"
        )
        if label:
            names.append(label)
        if len(names) == 21:
            break
    assert len(names) == 21 and names[0].startswith("Region ")
    gotland = page.locator('svg a[aria-label^="Region Gotland"]')
    gotland.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/regioner/gotland/")
    assert page.locator("h1").inner_text() == "Region Gotland"


def test_focus_is_visible_on_everything_the_keyboard_reaches(site, page):
    for path in ["/", "/insatsomraden/?tema=cirkular-ekonomi", "/regioner/kalmar/"]:
        page.goto(site + path)
        for _ in range(60):
            page.keyboard.press("Tab")
            # An outline of at least 2 px, or for a region on the map (an SVG link) the focus colour.
            style = page.evaluate(
                """() => { const e = document.activeElement, s = getComputedStyle(e);
                   const shape = e.closest('svg') && e.querySelector('path');
                   return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth),
                           shape ? getComputedStyle(shape).fill : null]; }"""
            )
            tag, outline, width, fill = style
            if tag == "BODY":
                break
            assert (outline != "none" and width >= 2) or fill == "rgb(255, 191, 71)", (path, style)


def test_text_reflows_at_320_px_and_200_percent_zoom_without_horizontal_scrolling(site, page):
    # 1280 px at 400 % zoom is 320 CSS px (WCAG 1.4.10); 640 px at 200 % likewise checks 1.4.4.
    for width in (320, 640):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ["/", "/regioner/kalmar/", "/insatsomraden/", "/sok/?q=hållbar"]:
            page.goto(site + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (width, path, overflow)


def tab_to(page, selector, limit=150):
    """Press Tab until the element matching `selector` has focus; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} was not reached by keyboard")


def test_filter_form_notices_and_chips_work_by_keyboard(site, page):
    page.goto(site + "/insatsomraden/?tema=finns-inte")
    # The correction is announced (role=alert) and links to the part of the form it concerns.
    alert = page.get_by_role("alert")
    assert "Inget tema heter ”finns-inte”." in alert.inner_text()
    tab_to(page, '.notice a[href="#filter-tema"]')
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "filter-tema"

    # Choose a theme and a dimension with the keyboard only, and submit.
    # Cirkulär ekonomi is past the first six themes, behind "Visa alla"; the dimension group starts closed.
    tab_to(page, "details.facet:has(#filter-tema) details.more-options > summary")
    page.keyboard.press("Enter")
    tab_to(page, 'input[name="tema"][value="cirkular-ekonomi"]')
    page.keyboard.press("Space")
    tab_to(page, "details.facet:has(#filter-dimension) > summary")
    page.keyboard.press("Enter")
    tab_to(page, 'input[name="dimension"][value="miljomassig"]')
    page.keyboard.press("Space")
    tab_to(page, ".filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**tema=cirkular-ekonomi**")
    assert "dimension=miljomassig" in page.url

    # Each chosen filter is a chip that removes itself.
    tab_to(page, '.chips a:not([href*="tema="]):not(.clear-all)')  # the theme's chip: a link without it
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "tema=cirkular-ekonomi" not in page.url and "dimension=miljomassig" in page.url
