"""Reflow (WCAG 1.4.10): no public page scrolls sideways at 320, 375 or 1280 CSS px, in either language.

320 px is the width WCAG names (1280 px at 400 % zoom), 375 px a common phone, 1280 px a laptop. When a
page is wider than the window, the failure lists what sticks out past the right edge, deepest first (the
innermost is usually the cause): each element with its tag, classes, a short path to it, the computed CSS
that typically makes a box too wide, and a snippet of its text; a word too long for its line, with the
wrapping rules of its element; an absolutely positioned element that escapes a scrolling box because no
ancestor inside that box is positioned. Then the innermost box that still fits, with the widths of its
children (which one leaves the others no room). One browser page per width, reused for every page.
"""

import pytest

from .test_accessibility import PAGES

# Transactional, for the live server (the `site` fixture restores what each flush removes).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.rendering]

WIDTHS = [320, 375, 1280]
PATHS = [language + path for language in ("", "/en") for path in PAGES]
SHOWN = 8  # what is listed per page

# The page's width against the window's and, when it is wider, everything that ends right of the window
# and is not clipped by a box that fits (overflow other than visible: a table in a scrolling wrapper is
# fine, unless it holds absolutely positioned content whose containing block is outside the wrapper).
OVERFLOW = """() => {
  const innerWidth = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  // A page without its CSS reflows trivially: a stylesheet that did not load must not pass as a fit.
  const unstyled = [...document.querySelectorAll('link[rel="stylesheet"]')]
    .filter((link) => !link.sheet || !link.sheet.cssRules.length).map((link) => link.href);
  if (scrollWidth <= innerWidth) return {scrollWidth, innerWidth, unstyled, elements: []};

  const style = (e) => getComputedStyle(e);
  const fits = (e) => e.getBoundingClientRect().right <= innerWidth;
  const root = (e) => !e || e === document.body || e === document.documentElement;
  const positioned = (e) => {
    const s = style(e);
    return s.position !== 'static' || s.transform !== 'none' || s.filter !== 'none'
      || /paint|layout|strict|content/.test(s.contain);
  };
  // The box an element's position is resolved against (CSS 2 §10.1): what can clip it.
  const containingBlock = (e) => {
    if (style(e).position !== 'absolute') return e.parentElement;
    let p = e.parentElement;
    while (!root(p) && !positioned(p)) p = p.parentElement;
    return p;
  };
  const chain = (e) => {
    const boxes = [];
    for (let p = containingBlock(e); !root(p); p = containingBlock(p)) boxes.push(p);
    return boxes;
  };
  const fixed = (e) => {
    for (let p = e; !root(p); p = p.parentElement) if (style(p).position === 'fixed') return true;
    return false;
  };
  const clips = (p) => style(p).overflowX !== 'visible' && fits(p);
  const clipped = (e) => fixed(e) || chain(e).some(clips);
  // A scrolling box that fits and holds the element in the DOM but not in its containing-block chain.
  const escapes = (e) => {
    const boxes = new Set(chain(e));
    for (let p = e.parentElement; !root(p); p = p.parentElement) if (clips(p) && !boxes.has(p)) return p;
    return null;
  };
  const depth = (e) => { let d = 0; for (; e; e = e.parentElement) d++; return d; };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].map((c) => '.' + c).join('');
  const path = (e) => {
    const parts = [];
    for (let p = e; !root(p) && parts.length < 4; p = p.parentElement) parts.unshift(name(p));
    return parts.join(' > ');
  };
  const snippet = (text) => {
    text = (text || '').replace(/\\s+/g, ' ').trim();
    return text.length > 60 ? text.slice(0, 57) + '...' : text;
  };
  // The computed values that commonly make a box wider than its container, when they are not the default.
  const causes = (e) => {
    const s = style(e), found = [];
    if (s.minWidth !== 'auto' && s.minWidth !== '0px') found.push('min-width: ' + s.minWidth);
    if (s.whiteSpace === 'nowrap' || s.whiteSpace === 'pre') found.push('white-space: ' + s.whiteSpace);
    if (s.display.includes('grid')) found.push('grid-template-columns: ' + s.gridTemplateColumns);
    if (s.display.includes('flex') && s.flexWrap === 'nowrap') found.push('flex-wrap: nowrap');
    if (s.display.includes('table')) found.push('display: ' + s.display);
    if (s.position === 'absolute') found.push('position: absolute');
    const escaped = s.position === 'absolute' && escapes(e);
    if (escaped) found.push('escapes the overflow: ' + style(escaped).overflowX + ' of ' + name(escaped)
      + ' (no positioned ancestor inside it)');
    return found.join('; ');
  };
  const wrapping = (e) => {
    const s = style(e);
    return ['overflow-wrap: ' + s.overflowWrap, 'word-break: ' + s.wordBreak, 'hyphens: ' + s.hyphens,
            'white-space: ' + s.whiteSpace, 'lang: ' + (e.closest('[lang]')?.lang || 'none')].join('; ');
  };
  // The innermost box that still fits in the window: where the overflow starts. Its layout and the widths
  // of its children usually say which one leaves too little room.
  const container = (e, self = false) => {
    const p = (self ? [e, ...chain(e)] : chain(e)).find(fits);
    if (!p) return {path: 'the page (no positioned ancestor)', layout: '', width: innerWidth, children: ''};
    const s = style(p);
    const layout = [s.display];
    if (s.display.includes('flex')) layout.push('flex-wrap: ' + s.flexWrap);
    if (s.display.includes('grid')) layout.push('grid-template-columns: ' + s.gridTemplateColumns);
    const children = [...p.children].filter((c) => c.getBoundingClientRect().width > 0).slice(0, 6)
      .map((c) => name(c) + ' ' + Math.round(c.getBoundingClientRect().width) + ' px'
        + (style(c).minWidth !== '0px' ? ' (min-width: ' + style(c).minWidth + ')' : ''));
    return {path: path(p), layout: layout.join('; '), width: Math.round(p.getBoundingClientRect().width),
            children: children.join(', ')};
  };

  const elements = [];
  for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.right <= innerWidth || (box.width === 0 && box.height === 0) || clipped(e)) continue;
    elements.push({
      kind: 'element', depth: depth(e), tag: e.tagName.toLowerCase(),
      classes: e.className.baseVal ?? e.className, path: path(e), right: Math.round(box.right),
      width: Math.round(box.width), css: causes(e), container: container(e),
      text: snippet(e.textContent || e.getAttribute('aria-label') || e.getAttribute('alt')),
    });
  }
  // Text running out of a box that itself fits: a word (or a nowrap run) too long for the line.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !fits(parent) || clips(parent) || clipped(parent)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right <= innerWidth) continue;
    const word = node.textContent.split(/\\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
    elements.push({
      kind: 'text', depth: depth(parent) + 1, tag: parent.tagName.toLowerCase(),
      classes: parent.className.baseVal ?? parent.className, path: path(parent), right: Math.round(right),
      width: Math.round(range.getBoundingClientRect().width), css: wrapping(parent),
      container: container(parent, true), text: snippet(word),
    });
  }
  elements.sort((a, b) => b.depth - a.depth || b.right - a.right);
  return {scrollWidth, innerWidth, unstyled, elements};
}"""


def describe(path, found):
    lines = [
        f"{path}: {found['scrollWidth'] - found['innerWidth']} px too wide "
        f"(scrollWidth {found['scrollWidth']} > innerWidth {found['innerWidth']})"
    ]
    # Alike elements (the same place, the same CSS: every cell of a table column, say) once, with a count.
    groups = {}
    for element in found["elements"]:
        key = (element["kind"], element["tag"], element["classes"], element["path"], element["css"])
        groups.setdefault(key, []).append(element)
    for alike in list(groups.values())[:SHOWN]:
        element = alike[0]
        classes = f' class="{element["classes"]}"' if element["classes"] else ""
        css = f" [{element['css']}]" if element["css"] else ""
        what = "text too long for its line in " if element["kind"] == "text" else ""
        count = f" (and {len(alike) - 1} more like it)" if len(alike) > 1 else ""
        lines.append(
            f"    {what}<{element['tag']}{classes}> right {element['right']} px,"
            f" width {element['width']} px{css}{count}\n        at {element['path']}: {element['text']!r}"
        )
    if len(groups) > SHOWN:
        lines.append(f"    ... and {len(groups) - SHOWN} more sticking out")
    containers = {}
    for element in found["elements"]:
        containers.setdefault(element["container"]["path"], element["container"])
    for container in list(containers.values())[:3]:
        layout = f" ({container['layout']}; {container['width']} px wide)" if container["layout"] else ""
        children = f",\n        whose children are: {container['children']}" if container["children"] else ""
        lines.append(f"    overflowing out of {container['path']}{layout}{children}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def test_no_page_scrolls_sideways(site, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    for path in PATHS:
        page.goto(site + path)
        found = page.evaluate(OVERFLOW)
        if found["unstyled"]:
            problems.append(
                f"{path}: stylesheet not loaded, nothing measured: {', '.join(found['unstyled'])}"
            )
        elif found["scrollWidth"] > found["innerWidth"]:
            problems.append(describe(path, found))
    if problems:  # the same as asserting scrollWidth <= innerWidth on each page, with a readable message
        pytest.fail(
            f"{len(problems)} of {len(PATHS)} pages fail the reflow check at {width} px:\n"
            + "\n".join(problems)
        )
