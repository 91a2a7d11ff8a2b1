"""Erasing a contact person on request (GDPR): the contact, its whole history, and its name in the admin log.

Deleting a contact in the admin always erases: a contact is a person's name, phone and e-mail, and an
old version in the history would keep what the person asked to have removed. The admin log keeps that a
contact was deleted, when and by whom, but not whose data it was.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Contact

ERASED_REPR = "(raderad kontaktperson)"


def erase_contacts(contacts) -> int:
    ids = [contact.pk for contact in contacts]
    with transaction.atomic():
        for contact in contacts:
            contact.delete()
        # Deleting wrote one more historical record; remove all of them (m2m history cascades).
        Contact.history.filter(id__in=ids).delete()
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id__in=[str(i) for i in ids]
        ).update(object_repr=ERASED_REPR, change_message="")
    return len(ids)
