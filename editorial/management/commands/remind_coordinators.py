"""Monthly reminder to each regional coordinator: what in their regions nobody has confirmed for twelve
months, contacts without e-mail or phone, and changes sent back to them. Run from the systemd timer in
docs/deploy/portal-reminders.timer (or cron): `manage.py remind_coordinators`.

A coordinator with nothing to do gets no e-mail. One without an e-mail address cannot be reminded: the
editors get one message listing them (they are also on the editors' start page).
"""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse

from editorial import notifications
from editorial.desk import coordinator_desk
from editorial.permissions import COORDINATOR_GROUP


class Command(BaseCommand):
    help = "E-mail each regional coordinator the stale items of their regions (run monthly)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print who would get what; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        coordinators = (
            get_user_model()
            .objects.filter(groups__name=COORDINATOR_GROUP, is_active=True)
            .order_by("username")
        )
        sent, unreachable = 0, []
        for user in coordinators:
            desk = [d for d in coordinator_desk(user) if self._has_work(d)]
            if not desk:
                continue
            if not user.email:
                unreachable.append((user, desk))
                continue
            context = {
                "user": user,
                "desk": desk,
                "site": notifications.admin_address(""),
                "admin": notifications.admin_address(reverse("admin:index")),
            }
            subject = " ".join(render_to_string("editorial/email/reminder_subject.txt", context).split())
            body = render_to_string("editorial/email/reminder.txt", context)
            if dry_run:
                self.stdout.write(f"{user.username} <{user.email}>: {subject}")
                continue
            send_mail(subject, body, None, [user.email])
            sent += 1
        if unreachable:
            names = ", ".join(user.get_full_name() or user.username for user, _desk in unreachable)
            self.stdout.write(f"Without an e-mail address, not reminded: {names}")
            editors = notifications.editor_addresses()
            if editors and not dry_run:
                body = render_to_string(
                    "editorial/email/unreachable.txt",
                    {
                        "unreachable": unreachable,
                        "admin": notifications.admin_address(reverse("admin:index")),
                    },
                )
                send_mail("Samordnare utan e-postadress fick ingen påminnelse", body, None, editors)
        self.stdout.write(f"Reminders sent: {sent}")

    @staticmethod
    def _has_work(desk):
        return any(desk[key] for key in ("stale_areas", "stale_contacts", "unreachable", "sent_back"))
