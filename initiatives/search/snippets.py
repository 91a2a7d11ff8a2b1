"""Snippets of search hits, the same on both databases: a passage that starts and ends at a word boundary,
says "…" where text was left out, and marks the whole words that matched ("besöksnäringen" for
"besöksnäring", "EU:s" for "EU"), never part of one. `_render` escapes every piece of content itself.
"""

import bisect
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WORD = re.compile(r"[^\W_]+")

# A word, with the joiners Swedish puts inside one: hyphenated compounds, "EU:s", "RUS:en", "10:30".
WORD_SPAN = re.compile(r"[^\W_]+(?:[-\u2010\u2011'\u2019:][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
ELLIPSIS = "…"
# Left out next to an ellipsis: a cut after "ord," reads "ord …", not "ord, …".
DANGLING_START = " ,.;:!?)]}»”–—-"
DANGLING_END = " ,;:([{«“–—-"
SNIPPET_LENGTH = 220  # characters, about three lines on a phone
CONTEXT_BEFORE = 60  # characters before the first match, where the text allows
WINDOW_BEFORE, WINDOW_AFTER = 2 * CONTEXT_BEFORE, 3 * SNIPPET_LENGTH  # around the first match
SCAN_LIMIT = 2000  # characters searched for a first match; beyond, the snippet is the text's start
SHORT_WORD = 3  # a snippet neither starts (mid-sentence) nor ends on a word this short, where it can help it


# Bidirectional embeddings and overrides: a snippet may cut off the character that ends one, which would
# then turn the rest of the paragraph around ("…" included).
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
_SPACES = re.compile(r"\s+")


def _plain(text: str | None) -> str:
    """Text as a snippet shows it: no control characters, every run of white space one space."""
    return _SPACES.sub(" ", _CONTROLS.sub(" ", _BIDI.sub("", text or ""))).strip()


def _whole_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans widened to the words they touch, merged where they meet."""
    if not spans:
        return []
    words = [m.span() for m in WORD_SPAN.finditer(text)]
    starts = [word_start for word_start, _ in words]
    widened = []
    for start, end in spans:
        # The words that overlap the span: from the last one starting before its end, backwards.
        i = bisect.bisect_left(starts, end) - 1
        while i >= 0 and words[i][1] > start:
            start, end = min(start, words[i][0]), max(end, words[i][1])
            i -= 1
        widened.append((start, end))
    merged = []
    for start, end in sorted(widened):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans, start: int, end: int, *, lead: bool, trail: bool) -> str:
    """text[start:end], escaped, with the spans in <mark> and "…" on a side where text was left out."""
    if lead:
        while start < end and text[start] in DANGLING_START:
            start += 1
    if trail:
        while end > start and text[end - 1] in DANGLING_END:
            end -= 1
    parts = [ELLIPSIS + " "] if lead else []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts += [escape(text[position:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        position = span_end
    parts.append(escape(text[position:end]))
    if trail:
        parts.append(" " + ELLIPSIS)
    return "".join(parts)


def _matches(text: str, wanted) -> list[tuple[int, int]]:
    """Where the words that `wanted` (a predicate on a case-folded word) accepts occur in the text."""
    return [m.span() for m in WORD.finditer(text) if wanted(m.group().casefold())]


def highlight(text: str | None, wanted, length: int = SNIPPET_LENGTH) -> str:
    """A snippet: the text around the first word `wanted` accepts, cut at words, matching words marked;
    the start of the text if no word matches. Safe HTML: every piece of content is escaped.

    Only a window around the first match is read closely (a long text costs no more than a short one)."""
    text = text or ""
    words = WORD.finditer(text, 0, SCAN_LIMIT)
    first = next((m.start() for m in words if wanted(m.group().casefold())), 0)
    start = max(0, first - WINDOW_BEFORE)
    end = min(len(text), max(first, start) + WINDOW_AFTER)
    if start:  # from a word's start
        start = next((m.start() for m in WORD_SPAN.finditer(text, start, end) if m.start() > start), start)
    if end < len(text):  # to a space, so that the last word is whole
        end = max(text.rfind(" ", start, end), first + 1)
    return _highlight(text[start:end], wanted, length, cut_before=start > 0, cut_after=end < len(text))


def _highlight(text: str, wanted, length: int, *, cut_before: bool, cut_after: bool) -> str:
    text = _plain(text)
    spans = _whole_words(text, _matches(text, wanted))
    start, end = 0, len(text)
    if len(text) > length:
        first = spans[0] if spans else (0, 0)
        # Some context before the match, more when the match is near the end and the text allows.
        earliest = max(0, min(first[0] - CONTEXT_BEFORE, len(text) - length))
        if earliest:
            # From a sentence's start if one begins there, else from the first whole word that is not a
            # short one ("en", "och", as ShortWord on PostgreSQL), never from the tail of a word.
            sentence = SENTENCE_END.search(text, earliest, first[0])
            earliest = sentence.end() if sentence else earliest
            words = [m.span() for m in WORD_SPAN.finditer(text, 0, first[0])]
            words = [(s, e) for s, e in words if s >= earliest]
            long_words = [s for s, e in words if e - s > SHORT_WORD] if not sentence else []
            start = (long_words or [s for s, _ in words] or [first[0]])[0]
        end = _cut_end(text, start, max(start + length, first[1]))
    lead, trail = start > 0 or cut_before, end < len(text) or cut_after
    return mark_safe(_render(text, spans, start, end, lead=lead, trail=trail))


def _cut_end(text: str, start: int, limit: int) -> int:
    """Where to end a snippet that may run to `limit`: after a sentence in its last part, else after the
    last whole word."""
    if limit >= len(text):
        return len(text)
    sentence_ends = [m.end() for m in SENTENCE_END.finditer(text, start + (limit - start) * 3 // 4, limit)]
    if sentence_ends:
        return sentence_ends[-1]
    words = [m.span() for m in WORD_SPAN.finditer(text, start, limit + 1) if m.end() <= limit]
    if not words:
        return limit  # one word longer than a snippet is cut where it must be
    # Not on a short word ("… som har allt att …"), as ShortWord on PostgreSQL, if a longer one is near.
    near = [e for s, e in words[-4:] if e - s > SHORT_WORD]
    return near[-1] if near else words[-1][1]


def shorten(text: str, length: int = SNIPPET_LENGTH) -> str:
    """The start of a text, ended at a word, with "…" if there is more. Plain text: escape it to show it."""
    text = _plain(text)
    if len(text) <= length:
        return text
    end = _cut_end(text, 0, length)
    while end and text[end - 1] in DANGLING_END:
        end -= 1
    return f"{text[:end]} {ELLIPSIS}"
