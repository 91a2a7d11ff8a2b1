from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "contacts"
    verbose_name = _("Kontaktpersoner")

    def ready(self):
        from django.db.models.signals import m2m_changed

        from .models import Contact, focus_areas_of_its_own_region

        m2m_changed.connect(
            focus_areas_of_its_own_region,
            sender=Contact.focus_areas.through,
            dispatch_uid="contact-focus-areas-of-its-own-region",
        )
