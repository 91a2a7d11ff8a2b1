"""Staff passwords are chosen by the person, never typed in by somebody else, and every change is logged.

- Editors onboard a person with a name and an e-mail address; the person gets an e-mailed link to choose
  a password (Django's password-reset machinery: a one-time token that a new password or a login spends).
  An editor can send such a link again, as an action in the user list, but cannot set anybody's password.
- Anyone on staff who has forgotten their password asks for a link on the login page
  ("Glömt ditt lösenord?"), which answers the same whether or not the address is known.
- Every change of a password, however it was made, is recorded in the admin log on the person's account,
  naming who did it when somebody was logged in (the owner when it was a link or the command line).
"""

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage
from django.db.models.signals import post_save, pre_save
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from simple_history.models import HistoricalRecords

INVITATION_SUBJECT = "registration/portal_invitation_subject.txt"
INVITATION_EMAIL = "registration/portal_invitation_email.txt"
NEW_LINK_SUBJECT = "registration/portal_new_link_subject.txt"
NEW_LINK_EMAIL = "registration/portal_new_link_email.txt"


class StaffPasswordResetForm(PasswordResetForm):
    """The login page's "Glömt ditt lösenord?": also for a person who has never chosen a password yet."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.casefold() == email.casefold())


def send_password_link(request, user, *, invitation: bool) -> bool:
    """E-mail `user` a one-time link to choose a password; False if they have no e-mail address."""
    if not user.email or not user.is_active:
        return False
    site = get_current_site(request)
    context = {
        "email": user.email,
        "domain": site.domain,
        "site_name": site.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "invited_by": request.user,
        "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
    }
    subject, body = (
        (INVITATION_SUBJECT, INVITATION_EMAIL) if invitation else (NEW_LINK_SUBJECT, NEW_LINK_EMAIL)
    )
    # Not PasswordResetForm.send_mail, which logs a failed delivery and carries on: the editor is told.
    message = EmailMessage(
        "".join(loader.render_to_string(subject, context, request).splitlines()),
        loader.render_to_string(body, context, request),
        to=[user.email],
    )
    message.send()
    return True


# --- The admin log of password changes -------------------------------------------------------------


def _note_password_change(sender, instance, update_fields=None, **kwargs):
    # A hash upgraded at login is saved with update_fields=["password"] and is no change of password.
    if instance.pk is None or (update_fields is not None and set(update_fields) == {"password"}):
        instance._portal_password_changed = False
        return
    if update_fields is not None and "password" not in update_fields:
        instance._portal_password_changed = False
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._portal_password_changed = before is not None and before != instance.password


def _log_password_change(sender, instance, created, **kwargs):
    if created or not getattr(instance, "_portal_password_changed", False):
        return
    instance._portal_password_changed = False
    request = getattr(HistoricalRecords.context, "request", None)
    actor = getattr(request, "user", None)
    if actor is not None and actor.is_authenticated and actor.pk != instance.pk:
        message, actor_id = f"Lösenordet ändrat av {actor.get_username()}.", actor.pk
    elif actor is not None and actor.is_authenticated:
        message, actor_id = "Lösenordet ändrat av personen själv.", actor.pk
    else:
        message, actor_id = "Lösenordet valt med en e-postlänk eller från kommandoraden.", instance.pk
    LogEntry.objects.log_actions(actor_id, [instance], CHANGE, message, single_object=True)


def connect():
    user_model = get_user_model()
    pre_save.connect(_note_password_change, sender=user_model, dispatch_uid="portal-password-change-note")
    post_save.connect(_log_password_change, sender=user_model, dispatch_uid="portal-password-change-log")
