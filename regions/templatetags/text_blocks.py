"""Render the catalogue's plain text as HTML: paragraphs, and bullet or numbered lists.

Texts are stored as editors and the sources write them: paragraphs separated by a blank line, list
items as lines starting with "• " or "1. ". Everything is escaped first; no markup from the database
ever reaches the page.
"""

import re
from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


# Both filters are pure functions of the text, and a list page runs them on the same texts on every request:
# the most recent results are kept in the process (a few MB at most), so a cold render does not redo them.
CACHED_TEXTS = 4096


@register.filter
def lede(text):
    """The first sentences of a text, whole, for a card (regions/fact_sheet.py)."""
    return _lede(text) if isinstance(text, str) else _first_sentences(text)


def _first_sentences(text):
    from regions.fact_sheet import lede as first_sentences

    return first_sentences(text)


_lede = lru_cache(maxsize=CACHED_TEXTS)(_first_sentences)


BULLET = re.compile(r"^\s*[•\-\*]\s+")
NUMBERED = re.compile(r"^\s*\d+\.\s+")


def _list(lines, pattern, tag):
    items = "".join(f"<li>{escape(pattern.sub('', line))}</li>" for line in lines)
    return f"<{tag}>{items}</{tag}>"


@register.filter
def text_blocks(text):
    if not text:
        return ""
    return _text_blocks(text) if isinstance(text, str) else _render_blocks(text)


def _render_blocks(text):
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if all(BULLET.match(line) for line in lines):
            html.append(_list(lines, BULLET, "ul"))
        elif all(NUMBERED.match(line) for line in lines):
            html.append(_list(lines, NUMBERED, "ol"))
        else:
            html.append("<p>" + "<br>".join(escape(line.strip()) for line in lines) + "</p>")
    return mark_safe("\n".join(html))


_text_blocks = lru_cache(maxsize=CACHED_TEXTS)(_render_blocks)
