"""Versions in the edit history (django-simple-history) that a bulk writer records itself.

The seed and the catalogue import write a record and its many-to-many fields in several steps. Left to
django-simple-history, each step would be a version of its own (a focus area with themes, dimensions and
goals would start with four). These writers save with history off and then record the finished record
once, with a reason that says where it came from.
"""

from django.db.models.signals import post_save


def save_without_history(obj, m2m=None):
    """Save `obj` and set its many-to-many fields (`{name: items}`) without recording any version."""
    obj.skip_history_when_saving = True
    try:
        obj.save()
        for name, items in (m2m or {}).items():
            getattr(obj, name).set(items)
    finally:
        del obj.skip_history_when_saving


def record_version(obj, reason: str, *, created: bool, using=None):
    """Record `obj` as it is now, many-to-many fields included, as one version with `reason`.

    This is the post_save that the writes above left out, sent now: django-simple-history records it
    exactly as it records an admin save ("+" for created, "~" for changed).
    """
    obj._change_reason = reason
    post_save.send(
        sender=type(obj), instance=obj, created=created, update_fields=None, raw=False, using=using
    )
