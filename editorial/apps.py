from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    default = True
    """The editorial machinery of the admin: who may edit what, conflicts, restore, checked-on dates,
    review before publishing, the change log and each coordinator's desk."""

    name = "editorial"
    verbose_name = _("Redaktionellt arbete")

    def ready(self):
        # Django 6.1's empty choice in selects, "- Select an option -", has no Swedish translation;
        # Django documents this hook for replacing it.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("– Välj –")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's admin site (editorial/sites.py) as the default one."""

    default = False
    default_site = "editorial.sites.PortalAdminSite"
