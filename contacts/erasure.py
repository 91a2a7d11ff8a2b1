"""Erasing a contact person on request (GDPR): the contact, its whole history, its name in the admin log,
and its working copies and requests in review (with their comments, which may speak of the person).

Deleting a contact in the admin always erases: a contact is a person's name, phone and e-mail, and an
old version in the history would keep what the person asked to have removed. The admin log keeps that a
contact was deleted, when and by whom, but not whose data it was.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from editorial.models import ReviewEvent, Revision

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
        revisions = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id__in=ids
        )
        ReviewEvent.objects.filter(revision__in=revisions).update(comment="")
        revisions.update(object_repr=ERASED_REPR, data={}, form_fields=[], changes=None)
    return len(ids)
