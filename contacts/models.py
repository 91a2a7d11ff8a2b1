import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.models import FocusArea
from regions.models import CheckedModel, Region, SourcedModel, TimestampedModel

# A Swedish number as people write it: "076-636 29 80", "023 - 777097", "tel. 072-200 40 17",
# "+46 70 123 45 67". Digits, spaces, dashes and a leading + only.
PHONE_CHARACTERS = re.compile(r"^\+?[0-9][0-9 \-]*[0-9]$")


def normalise_swedish_phone(phone: str) -> str:
    """E.164 form for tel: links: "076-636 29 80" → "+46766362980". Empty if there is no number."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if phone.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+46" + digits[1:]
    return "+46" + digits


class ContactQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Contact(SourcedModel, TimestampedModel, CheckedModel):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("region")
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        related_name="contacts",
        blank=True,
        verbose_name=_("insatsområden"),
        help_text=_(
            "De insatsområden personen är kontakt för, där källan säger det. Tomt: regionens kontakt."
        ),
    )
    name = models.CharField(_("namn"), max_length=200)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Om en annan än regionen, t.ex. Länsstyrelsen."),
    )
    role = models.CharField(_("roll"), max_length=200, blank=True)
    phone = models.CharField(
        _("telefon"), max_length=50, blank=True, help_text=_("Som källan skriver det, t.ex. 076-636 29 80.")
    )
    email = models.EmailField(_("e-post"), blank=True)
    is_public = models.BooleanField(
        _("visas publikt"), default=True, help_text=_("Avmarkera för att dölja kontakten på webbplatsen.")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = ContactQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["edited_at"], m2m_fields=[focus_areas])

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["region", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="contact_unique_name_per_region"),
        ]

    def __str__(self):
        return f"{self.name} ({self.region.short_name})"

    @property
    def phone_normalised(self) -> str:
        return normalise_swedish_phone(self.phone)

    def clean(self):
        if self.phone and not PHONE_CHARACTERS.match(self.phone.strip()):
            raise ValidationError(
                {"phone": _("Ange bara siffror, mellanslag och bindestreck, t.ex. 070-123 45 67.")}
            )


def focus_areas_of_its_own_region(sender, instance, action, reverse, pk_set, **kwargs):
    """A contact is linked only to insatsområden of its own region, whichever side the link is made from
    (connected in contacts/apps.py). The admin's form says so in words first (contacts/admin.py)."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # focus_area.contacts.add(...)
        strangers = Contact.objects.filter(pk__in=pk_set).exclude(region_id=instance.region_id)
    else:  # contact.focus_areas.add(...)
        strangers = FocusArea.objects.filter(pk__in=pk_set).exclude(region_id=instance.region_id)
    if strangers.exists():
        raise ValidationError(
            _(
                "En kontaktperson kan bara kopplas till insatsområden i sin egen region: "
                "%(names)s hör till en annan."
            )
            % {"names": ", ".join(map(str, strangers))}
        )
