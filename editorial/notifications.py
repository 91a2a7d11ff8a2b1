"""E-mail about reviews, through Django's e-mail framework (settings.MAILERS: the console under
`make run`, SMTP in production, locmem in tests).

- Editors (the group "Redaktör", active, with an address) when something is submitted for review.
- The person who submitted it (or started it) when an editor publishes it, sends it back or discards
  it, with the comment.

Sent once the transaction has committed, so nobody is told about a decision that was rolled back. An
address is never invented: a person without one gets no e-mail, and the editors' start page lists the
coordinators who have none (editorial/desk.py).
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .permissions import EDITOR_GROUP

log = logging.getLogger(__name__)


def editor_addresses() -> list[str]:
    users = get_user_model().objects.filter(groups__name=EDITOR_GROUP, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject_template, body_template, context, recipients) -> int:
    if not recipients:
        return 0
    subject = " ".join(render_to_string(subject_template, context).split())
    body = render_to_string(body_template, context)
    try:
        return send_mail(subject, body, None, recipients)
    except Exception:  # an SMTP server away must not undo a review; the log says it failed
        log.exception("review e-mail not sent", extra={"recipients": len(recipients)})
        return 0


def admin_address(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_submitted(revision):
    context = {
        "revision": revision,
        "who": revision.submitted_by,
        "url": admin_address(reverse("admin:editorial_revision_change", args=[revision.pk])),
    }
    return _send(
        "editorial/email/submitted_subject.txt",
        "editorial/email/submitted.txt",
        context,
        editor_addresses(),
    )


def send_decided(revision, event):
    person = revision.submitted_by or revision.created_by
    if person is None or not person.email or not person.is_active:
        return 0
    context = {
        "revision": revision,
        "event": event,
        "url": admin_address(reverse("admin:editorial_revision_change", args=[revision.pk])),
    }
    return _send(
        "editorial/email/decided_subject.txt", "editorial/email/decided.txt", context, [person.email]
    )


def on_commit_submitted(revision):
    transaction.on_commit(lambda: send_submitted(revision))


def on_commit_decided(revision, event):
    transaction.on_commit(lambda: send_decided(revision, event))
