"""What changed, word by word: for the review queue, the history and "Senaste ändringar".

Texts are compared as words (difflib over words and the spaces between them), whole, however long: a
reviewer must see every word that changes. Removed words are <del>, added ones <ins>, each with a hidden
"borttaget:"/"tillagt:" for screen readers, which do not announce the two elements themselves.
"""

import difflib
import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .conflicts import comparable, display_value, value_in_record

_WORDS = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text or "")


def _chunks(before, after):
    """(unchanged, removed, added) runs of text. A run of spaces alone between two changes joins them,
    so that "Den första" → "En ny" reads as one change, not as two words each swapped."""
    chunks = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old, new = "".join(before[a1:a2]), "".join(after[b1:b2])
        if op == "equal":
            chunks.append(["equal", old, old])
        elif chunks and chunks[-1][0] == "change":
            chunks[-1][1] += old
            chunks[-1][2] += new
        elif len(chunks) >= 2 and chunks[-1][1].isspace() and chunks[-2][0] == "change":
            space = chunks.pop()[1]
            chunks[-1][1] += space + old
            chunks[-1][2] += space + new
        else:
            chunks.append(["change", old, new])
    return chunks


def word_diff(old: str, new: str):
    """`old` → `new` as HTML: the unchanged words as they are, the removed in <del>, the added in <ins>."""
    parts = []
    for op, removed, added in _chunks(_tokens(old), _tokens(new)):
        if op == "equal":
            parts.append(escape(removed))
            continue
        if removed:
            parts.append(
                format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("borttaget:"), removed)
            )
        if added:
            parts.append(
                format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("tillagt:"), added)
            )
    return mark_safe("".join(str(part) for part in parts))


def is_text(model_field) -> bool:
    return isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices


def change_row(model_field, old, new) -> dict:
    """One changed field, as the templates show it: its name, the two values, and a word diff of texts."""
    text = is_text(model_field)
    return {
        "label": str(model_field.verbose_name),
        "before": display_value(model_field, old),
        "after": display_value(model_field, new),
        "old_text": (old or "") if text else None,
        "new_text": (new or "") if text else None,
        "diff": word_diff(old or "", new or "") if text else None,
    }


def snapshot(changes):
    """`changes` (fields and inline rows, as revision_changes gives them) as JSON, without the HTML."""

    def plain(rows):
        return [{k: v for k, v in row.items() if k != "diff"} for row in rows]

    return {
        "fields": plain(changes["fields"]),
        "inlines": [
            {
                "name": str(inline["name"]),
                "rows": [
                    {**row, "what": str(row["what"]), "fields": plain(row["fields"])}
                    for row in inline["rows"]
                ],
            }
            for inline in changes["inlines"]
        ],
    }


def from_snapshot(stored):
    """A snapshot back as the templates show it, word diffs included."""

    def rich(rows):
        return [
            {
                **row,
                "diff": word_diff(row["old_text"], row["new_text"])
                if row.get("old_text") is not None
                else None,
            }
            for row in rows
        ]

    return {
        "fields": rich(stored.get("fields", [])),
        "inlines": [
            {
                "name": inline["name"],
                "rows": [{**row, "fields": rich(row["fields"])} for row in inline["rows"]],
            }
            for inline in stored.get("inlines", [])
        ],
    }


def record_changes(record, previous, model_fields=None) -> list[dict]:
    """The fields that differ between two historical records of one object (previous may be None)."""
    fields = model_fields or [
        f
        for f in record.instance._meta.get_fields()
        if (f.concrete or isinstance(f, models.ManyToManyField))
        and not f.auto_created
        and not f.primary_key
        and f.name not in {"created_at", "updated_at"}
        and getattr(f, "editable", True)
    ]
    rows = []
    for model_field in fields:
        new = value_in_record(record, model_field)
        old = value_in_record(previous, model_field) if previous is not None else None
        if new is None and isinstance(model_field, models.ManyToManyField):
            continue  # not kept in the history
        if previous is None:
            if new in (None, "", frozenset()):
                continue
        elif old == new:
            continue
        rows.append(change_row(model_field, old, new))
    return rows


def proposed_value(form_field, model_field, data, key):
    """What a bound form would save in one field, from raw form data, without validating the form."""
    raw = form_field.widget.value_from_datadict(data, {}, key)
    try:
        value = form_field.clean(raw)
    except ValidationError:
        value = raw
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
    return comparable(model_field, value)


def form_changes(model, form_class, data, instance, prefix=None) -> list[dict]:
    """The fields a form bound to `data` would change on `instance` (a new row when instance is None)."""
    rows = []
    for name, form_field in form_class.base_fields.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.primary_key or model_field.auto_created:
            continue
        key = f"{prefix}-{name}" if prefix else name
        new = proposed_value(form_field, model_field, data, key)
        old = value_in_record(instance, model_field) if instance is not None else None
        if instance is None and new in (None, "", frozenset()):
            continue
        if instance is not None and old == new:
            continue
        rows.append(change_row(model_field, old, new))
    return rows
