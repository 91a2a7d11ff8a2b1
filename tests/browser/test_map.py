"""The region map in Chromium: it fits phones, passes axe, its theme legend says what the fills mean, the
fills have the contrast map.css claims, and every region is a 24 × 24 px tap target on a phone.

Keyboard use of the map: tests/browser/test_accessibility.py. The HTML itself: tests/test_region_map.py.
"""

import re

import pytest
from django.db.models import Q

from initiatives.models import Status, Theme
from regions.models import Region

from .wcag import violations

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rendering]

THEME = "cirkular-ekonomi"
PAGES = ["/", "/regioner/", f"/teman/{THEME}/"]

# For each region's link on the map: the side of the largest square, in CSS px sampled one per pixel, in
# which every point hits that link (elementFromPoint, so overlaps and paint order count), its centre, and
# one point that only the invisible wider tap area (path.hit) covers.
TARGETS = """() => {
  const svg = document.querySelector('.region-map > svg');
  svg.scrollIntoView({block: 'start'});
  const box = svg.getBoundingClientRect();
  const x0 = Math.floor(box.left), y0 = Math.max(0, Math.floor(box.top));
  const width = Math.ceil(box.right) - x0, height = Math.min(Math.ceil(box.bottom), innerHeight) - y0;
  const grid = [], hitOnly = {};
  for (let y = 0; y < height; y++) {
    const row = new Array(width);
    for (let x = 0; x < width; x++) {
      const element = document.elementFromPoint(x0 + x + 0.5, y0 + y + 0.5);
      const link = element && element.closest('.region-map > svg a');
      row[x] = link ? link.getAttribute('href') : null;
      if (link && element.classList.contains('hit') && !hitOnly[row[x]]
          && !document.elementsFromPoint(x0 + x + 0.5, y0 + y + 0.5).includes(link.querySelector('.shape')))
        hitOnly[row[x]] = [x0 + x + 0.5, y0 + y + 0.5];
    }
    grid.push(row);
  }
  const best = {};
  let previous = new Array(width).fill(0);
  for (let y = 0; y < height; y++) {
    const current = new Array(width).fill(0);
    for (let x = 0; x < width; x++) {
      const owner = grid[y][x];
      if (!owner) continue;
      let side = 1;
      if (y && x && grid[y - 1][x] === owner && grid[y][x - 1] === owner && grid[y - 1][x - 1] === owner)
        side = 1 + Math.min(previous[x], current[x - 1], previous[x - 1]);
      current[x] = side;
      if (!best[owner] || side > best[owner].side)
        best[owner] = {side, x: x0 + x + 1 - side / 2, y: y0 + y + 1 - side / 2};
    }
    previous = current;
  }
  return {best, hitOnly, whole: height === Math.ceil(box.bottom) - y0, width: box.width};
}"""


# What sticks out on the right, to say in a failure which part of the page is too wide.
TOO_WIDE = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
  .slice(0, 3)
  .map(e => `${e.tagName.toLowerCase()}.${e.getAttribute('class')}: ${e.textContent.trim().slice(0, 20)}`)"""


def luminance(rgb):
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def fill_of(page, selector):
    value = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).fill")
    return tuple(int(n) for n in re.findall(r"\d+", value)[:3])


WHITE = (255, 255, 255)


# At the narrowest width: 375 and 1280 px are in the rendering sweeps (test_accessibility.py, test_reflow.py).
@pytest.mark.parametrize("width", [320])
def test_pages_with_the_map_fit_the_screen_and_pass_axe(site, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    problems = {}
    for language in ("", "/en"):
        for path in PAGES:
            page.goto(site + language + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            if overflow > 0:
                problems[language + path] = (f"{overflow} px wider than the screen", page.evaluate(TOO_WIDE))
            elif found := violations(page):
                problems[language + path] = found
            assert page.locator(".region-map > svg a[aria-label]").count() == 21
    assert problems == {}


def test_the_theme_legend_says_which_regions_have_published_work_with_the_theme(site, page):
    theme = Theme.objects.get(slug=THEME)
    with_theme = Q(focus_areas__status=Status.PUBLISHED, focus_areas__themes=theme)
    working = sorted(Region.objects.filter(with_theme).distinct().values_list("slug", flat=True))
    assert 0 < len(working) < 21
    for language, name, lang in [("", theme.name, "sv"), ("/en", theme.name_en or theme.name, "en")]:
        page.goto(site + language + f"/teman/{THEME}/")
        on_map = page.eval_on_selector_all(
            ".region-map > svg a:has(path.works)", "links => links.map(a => a.getAttribute('href'))"
        )
        assert sorted(href.split("/")[-2] for href in on_map) == working
        keys = page.locator(".map-key")
        assert keys.count() == 2
        assert keys.nth(0).locator(f'span[lang="{lang}"]').inner_text() == name
        assert str(len(working)) in keys.nth(0).inner_text()
        assert str(21 - len(working)) in keys.nth(1).inner_text()
        lists = page.locator(".map-legend .map-regions")
        assert lists.nth(0).locator("a").count() == len(working)
        assert lists.nth(1).locator("a").count() == 21 - len(working)
        # Swatches drawn as the map draws the two groups: stripes for the regions with the theme.
        assert page.evaluate("getComputedStyle(document.querySelector('.map-key .works')).fill").endswith(
            '#region-map-hatch")'
        )
    page.goto(site + f"/teman/{THEME}/")
    key = page.locator(".map-key").nth(0).inner_text()
    assert f"{len(working)} regioner har minst ett publicerat insatsområde med temat ”{theme.name}”" in key
    assert "inget publicerat insatsområde med temat" in page.locator(".map-key").nth(1).inner_text()
    assert "inte hur mycket eller hur väl" in page.locator(".region-map figcaption").inner_text()


def test_the_fills_contrast_with_white_and_with_each_other(site, page):
    page.goto(site + f"/teman/{THEME}/")
    ground, stripe = fill_of(page, ".hatch-ground"), fill_of(page, ".hatch-line")
    other = fill_of(page, ".region-map > svg path.other")
    assert page.evaluate("getComputedStyle(document.querySelector('path.works')).fill").endswith('hatch")')
    assert contrast(ground, WHITE) >= 3 and contrast(other, WHITE) >= 3
    assert contrast(ground, other) >= 3 and contrast(stripe, other) >= 3
    page.goto(site + "/")
    shapes = ".region-map > svg path.shape"
    fills = set(page.eval_on_selector_all(shapes, "paths => paths.map(p => getComputedStyle(p).fill)"))
    assert len(fills) == 1  # neutral: one fill for every region
    assert contrast(fill_of(page, shapes), WHITE) >= 3


@pytest.mark.parametrize("width", [320, 375])
def test_every_region_is_a_24_px_tap_target_on_a_phone(site, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in ("/", f"/teman/{THEME}/"):
        page.goto(site + path)
        found = page.evaluate(TARGETS)
        assert found["whole"] and found["width"] >= 272
        sides = {href: target["side"] for href, target in found["best"].items()}
        assert len(sides) == 21
        # 25 samples one pixel apart, all on the link: a square of at least 24 px.
        assert {href: side for href, side in sides.items() if side < 25} == {}, path
    # A tap beside Gotland's and Blekinge's coast, on the invisible wider tap area, opens the region.
    for slug in ("gotland", "blekinge"):
        page.goto(site + "/")
        x, y = page.evaluate(TARGETS)["hitOnly"][f"/regioner/{slug}/"]
        page.mouse.click(x, y)
        page.wait_for_url(f"**/regioner/{slug}/")
