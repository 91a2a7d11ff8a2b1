from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    """The editorial machinery of the admin: who may edit what, conflicts, restore and checked-on dates."""

    name = "editorial"
    verbose_name = _("Redaktionellt arbete")
