from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regioner")

    def ready(self):
        from django.apps import apps

        from . import collation, edits, signals, staff_passwords

        collation.connect()
        signals.connect(apps)
        edits.connect()
        staff_passwords.connect()
