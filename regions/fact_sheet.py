"""What a region's page says before its insatsområden: the overview, the fact box and "Om uppgifterna".

The region page is a fact sheet (templates/regions/region_detail.html): the story in its first screen, the
insatsområden as cards, and each fact's source in one box instead of a "Källa:" line under every text.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Source

# Where a summary is cut for a card: after the sentence that passes this many characters.
LEDE_LENGTH = 110
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"”])")


def lede(text: str, length: int = LEDE_LENGTH) -> str:
    """The first sentences of `text`, whole, up to about `length` characters; a first sentence longer than
    that is cut after a whole word. Either way a cut ends in " …"."""
    first_block = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0] if text else ""
    first_block = " ".join(line.strip().removeprefix("• ") for line in first_block.splitlines())
    result = ""
    for sentence in SENTENCE_END.split(first_block):
        if len(result) + len(sentence) > length:
            if not result:  # one long sentence: as many whole words as fit
                result = sentence[: length + 1].rsplit(" ", 1)[0].rstrip(",;:")
            return result + " …"
        result = f"{result} {sentence}".strip()
    return result


def natural_list(items) -> str:
    """ "a, b och c" (or "a, b and c" on English pages)."""
    items = [conditional_escape(item) for item in items]
    if len(items) <= 1:
        return mark_safe("".join(items))
    return mark_safe(f"{', '.join(items[:-1])} {escape(_('och'))} {items[-1]}")


@dataclass
class SourceUse:
    """One source text as a page uses it: which sections of it the page's facts come from."""

    source: object
    sections: list[str] = field(default_factory=list)

    def add(self, section: str) -> None:
        if section and section not in self.sections:
            self.sections.append(section)


def sources_used(records, extra_sections=()) -> list[SourceUse]:
    """The source texts behind `records` (anything with `source` and `source_section`), each once, in order
    of first use, with the sections used. `extra_sections` are (source id, section) pairs of records not
    loaded (activities); a source only they name is read with one query.
    Records without a source are the editors' own; the box says so."""
    uses: dict[int, SourceUse] = {}
    for record in records:
        if record.source_id is not None:
            uses.setdefault(record.source_id, SourceUse(record.source)).add(record.source_section)
    missing = {source_id for source_id, _section in extra_sections if source_id not in uses}
    if missing:
        for source in Source.objects.filter(pk__in=missing):
            uses[source.pk] = SourceUse(source)
    for source_id, section in extra_sections:
        uses[source_id].add(section)
    return list(uses.values())


def theme_counts(focus_areas) -> list[tuple]:
    """(theme, number of the insatsområden with it), most used first."""
    counts = Counter(theme for focus_area in focus_areas for theme in focus_area.themes.all())
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].label))


def top_themes(focus_areas, limit: int) -> list:
    return [theme for theme, _count in theme_counts(focus_areas)[:limit]]


def swedish(text: str) -> str:
    """Swedish content inside an interface sentence, marked so (lang="sv") and escaped."""
    return format_html('<span lang="sv">{}</span>', text)


def in_own_language(item) -> str:
    return format_html('<span lang="{}">{}</span>', item.label_lang, item.label)


def overview(region, focus_areas, total: int) -> str:
    """One paragraph made from the region's data, for a region whose source text has no introduction.

    It says only what the catalogue holds: how many insatsområden, their titles, the themes they share
    most, and the mandatory areas the region describes its work under. It is HTML: the interface's words
    around the content's, each part marked with its language.
    """
    if not total:
        return format_html(
            escape(_("%(region)s har ännu inga publicerade insatsområden i katalogen.")).replace(
                "%(region)s", "{}"
            ),
            swedish(region.name),
        )

    def sentence(template: str, **parts) -> str:
        """The translated `template` escaped, with the (already marked-up) `parts` put in."""
        html = escape(template)
        for name, value in parts.items():
            html = html.replace(f"%({name})s", str(value)).replace(f"%({name})d", str(value))
        return mark_safe(html)

    sentences = [
        sentence(
            ngettext(
                "%(region)s har %(count)d insatsområde i katalogen: %(titles)s.",
                "%(region)s har %(count)d insatsområden i katalogen: %(titles)s.",
                total,
            ),
            region=swedish(region.name),
            count=total,
            titles=natural_list(swedish(f"”{focus_area.title}”") for focus_area in focus_areas),
        )
    ]
    themes = top_themes(focus_areas, limit=3)
    if themes:
        sentences.append(
            sentence(
                _("Arbetet handlar framför allt om %(themes)s."),
                themes=natural_list(
                    format_html('<span lang="{}">{}</span>', theme.label_lang, theme.label.lower())
                    for theme in themes
                ),
            )
        )
    areas = list(dict.fromkeys(fa.mandatory_area for fa in focus_areas if fa.mandatory_area))
    if areas:
        sentences.append(
            sentence(
                ngettext(
                    "Regionen beskriver också sitt arbete inom det obligatoriska området %(areas)s.",
                    "Regionen beskriver också sitt arbete inom de obligatoriska områdena %(areas)s.",
                    len(areas),
                ),
                areas=natural_list(format_html("”{}”", in_own_language(area)) for area in areas),
            )
        )
    return mark_safe(" ".join(sentences))
