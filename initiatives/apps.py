from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Insatsområden")

    def ready(self):
        from django.db.models import CharField, TextField

        from .search import PortalUnaccent

        CharField.register_lookup(PortalUnaccent)
        TextField.register_lookup(PortalUnaccent)
