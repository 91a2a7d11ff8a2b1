"""Template tags of the editorial admin: word-level diffs in the history."""

from django import template

from ..diff import record_changes

register = template.Library()


@register.simple_tag
def changes_of(record, previous):
    """What `record` changed against `previous` (None for the first version), field by field."""
    return record_changes(record, previous)
