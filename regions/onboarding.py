"""Create staff accounts: `manage.py createeditor` and `manage.py createcoordinator`.

Everything is checked before anything is written, in one transaction: an unknown region, an existing
user or a weak password is a clear error and creates nothing.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from .models import Region

PASSWORD_VARIABLE = "PORTAL_USER_PASSWORD"


class StaffCommand(BaseCommand):
    group_name: str

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_true",
            help=f"Take the password from the environment variable {PASSWORD_VARIABLE} instead of asking.",
        )

    def regions(self, options) -> list[Region]:
        return []

    def handle(self, *args, username, email, noinput, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user {username!r} already exists; nothing was created.")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise CommandError(f"{email!r} is not an e-mail address; nothing was created.") from None
        regions = self.regions(options)
        password = self.password(noinput)
        user = User(username=username, email=email, is_staff=True)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(
                "The password is too weak; nothing was created. " + " ".join(exc.messages)
            ) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=self.group_name))
            for region in regions:
                region.coordinators.add(user)
        where = f" for {', '.join(r.name for r in regions)}" if regions else ""
        self.stdout.write(self.style.SUCCESS(f"Created {self.group_name.lower()} {username}{where}."))

    def password(self, noinput: bool) -> str:
        if noinput:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(
                    f"--noinput needs the password in {PASSWORD_VARIABLE}; nothing was created."
                )
            return password
        password = getpass.getpass("Lösenord: ")
        if password != getpass.getpass("Lösenord igen: "):
            raise CommandError("The passwords differ; nothing was created.")
        return password
