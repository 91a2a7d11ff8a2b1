"""The date the public pages may call "senast ändrad": when a person last changed a record.

A seed, an import or a restore from backup writes records too, and Django's `updated_at` moves with every
one of them; shown to the public it would say the whole catalogue changed the day it was loaded. A
version in the edit history with a user on it is a person's change (an admin save, a published working
copy, a restore of an old version), so each such version sets `edited_at` on its record, and a change to
an activity or a link sets it on the insatsområde or region it belongs to.
"""

from django.db.models import Model
from simple_history.signals import post_create_historical_record


def _owners(instance: Model) -> list[tuple[type[Model], int]]:
    """The records whose "senast ändrad" a change to `instance` moves: itself, or what it belongs to."""
    from contacts.models import Contact
    from initiatives.models import Activity, FocusArea, Link

    from .models import Region

    if isinstance(instance, (Region, FocusArea, Contact)):
        return [(type(instance), instance.pk)]
    if isinstance(instance, Activity):
        return [(FocusArea, instance.focus_area_id)]
    if isinstance(instance, Link):
        return (
            [(FocusArea, instance.focus_area_id)]
            if instance.focus_area_id
            else [(Region, instance.region_id)]
        )
    return []


def person_edited(sender, instance, history_instance, history_user=None, **kwargs):
    if history_user is None:  # the seed, an import, a restore from backup: not a person's edit
        return
    for model, pk in _owners(instance):
        # A queryset update: no save signals, no new version, and `updated_at` is left alone. The
        # catalogue version is bumped by the save that made this version.
        model.objects.filter(pk=pk).update(edited_at=history_instance.history_date)
        if model is type(instance) and pk == instance.pk:
            instance.edited_at = history_instance.history_date


def connect():
    post_create_historical_record.connect(person_edited, dispatch_uid="person-edited")
