"""The comparison page in Chromium, as a visitor uses it: at 320, 375 and 1280 px, in Swedish and English.

At each step the page must not scroll sideways (WCAG 1.4.10: a table may scroll inside its own box, but
nothing may escape it) and axe must find nothing. The visitor opens the matrix, follows the sort link in a
column header, then ticks three regions in the form and submits it.
"""

import pytest

from .wcag import violations

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rendering]

LANGUAGES = {"": ("Kalmar, Gotland och Halland", "Gotland, Halland och Kalmar", "Jämför"),
             "/en": ("Kalmar, Gotland and Halland", "Gotland, Halland and Kalmar", "Compare")}  # fmt: skip
THREE = "/jamfor/?region=kalmar&region=gotland&region=halland"
CLIMATE = "klimat-och-energi"  # Halland has the most insatsområden with it in the seeded catalogue


# The elements, outside any scroll box, whose right edge is past the window's: what makes the page wide.
STICKING_OUT = """[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('.table-scroll'))
  .slice(-3).map((e) => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' +
                       e.textContent.trim().slice(0, 30))"""


def fits_and_passes(page) -> dict:
    """What is wrong with the page as shown: wider than the window, or axe's findings. Empty if nothing."""
    problems = {}
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > window:
        problems["scrollWidth"] = (width, window, page.evaluate(STICKING_OUT))
    if found := violations(page):
        problems["axe"] = found
    return problems


def first_region(page) -> str:
    return page.locator(".matrix tbody th[scope=row] a").first.inner_text()


# Each language at the narrowest width and at a desktop's, and Swedish on a phone: the plain comparison
# pages at every width and language are in the rendering sweeps (test_accessibility.py, test_reflow.py).
@pytest.mark.parametrize(
    "language, width",
    [("", 320), ("", 375), ("/en", 320), ("/en", 1280)],
    ids=["sv-320", "sv-375", "en-320", "en-1280"],
)
def test_matrix_sorting_and_side_by_side_reflow_and_pass_axe(site, page, language, width):
    named, ticked, submit = LANGUAGES[language]
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}

    page.goto(site + language + "/jamfor/")
    problems["matrix"] = fits_and_passes(page)
    assert first_region(page) == "Blekinge"

    # The sort link the column header renders: the same page, sorted, landing on that column.
    page.locator(f"#kolumn-{CLIMATE} a").click()
    page.wait_for_url(lambda url: url.endswith(f"{language}/jamfor/?sortera={CLIMATE}#kolumn-{CLIMATE}"))
    problems["sorted"] = fits_and_passes(page)
    assert first_region(page) == "Halland"
    assert page.locator(f"#kolumn-{CLIMATE}").get_attribute("aria-sort") == "descending"
    # The column sorted by is scrolled into view inside the matrix's box, beside the sticky region names.
    header = page.locator(f"#kolumn-{CLIMATE}").bounding_box()
    assert header["x"] >= 0 and header["x"] + header["width"] <= width

    # Tick three regions in the picker and submit: the sort order is kept, the comparison opens.
    for slug in ("kalmar", "gotland", "halland"):
        page.locator(f"#valj input[name=region][value={slug}]").check()
    page.locator("#valj button[type=submit]").click()
    chosen = f"{language}/jamfor/?sortera={CLIMATE}&region=gotland&region=halland&region=kalmar"
    page.wait_for_url(lambda url: url.endswith(chosen))
    assert page.locator("#side-heading").inner_text() == ticked  # in the picker's (alphabetical) order
    assert first_region(page) == "Halland"
    assert page.locator(".matrix tr.chosen").count() == 3
    problems["submitted"] = fits_and_passes(page)

    # The comparison as linked: the regions named in the order asked for.
    page.goto(site + language + THREE)
    assert page.locator("#side-heading").inner_text() == named
    assert page.locator(".side-by-side td ul").count() > 0
    problems["side by side"] = fits_and_passes(page)

    assert {step: found for step, found in problems.items() if found} == {}
    assert submit in page.locator("#valj button[type=submit]").inner_text()


def test_a_bad_sort_value_is_a_notice_not_an_error(site, page):
    page.goto(site + "/jamfor/?sortera=finns-inte&region=kalmar")
    assert "finns-inte" in page.locator(".notice[role=alert]").inner_text()
    assert first_region(page) == "Blekinge"
    assert page.locator("#side-heading").inner_text() == "Kalmar"
    assert fits_and_passes(page) == {}
