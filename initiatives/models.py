from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import CheckedModel, Region, SourcedModel, TimestampedModel

from .vocabulary import DIMENSION_ENGLISH, Bilingual, english_wanted


class MandatoryArea(Bilingual, SourcedModel):
    """One of the two areas every region works on (obligatoriskt område)."""

    label_field = "title"

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    slug = models.SlugField(_("kortnamn i webbadressen"), unique=True)
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)

    class Meta:
        verbose_name = _("obligatoriskt område")
        verbose_name_plural = _("obligatoriska områden")
        ordering = ["number"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("mandatory_area_detail", args=[self.slug])


class Theme(Bilingual, models.Model):
    """A curated theme that makes regions comparable (cirkulär ekonomi, besöksnäring …)."""

    slug = models.SlugField(_("kortnamn i webbadressen"), unique=True)
    name = models.CharField(_("namn"), max_length=100, unique=True)
    name_en = models.CharField(_("namn på engelska"), max_length=100, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("theme_detail", args=[self.slug])


class Dimension(models.Model):
    """The three sustainability dimensions. Fixed vocabulary, created by a migration."""

    class Slug(models.TextChoices):
        ECONOMIC = "ekonomisk", _("Ekonomisk hållbarhet")
        SOCIAL = "social", _("Social hållbarhet")
        ENVIRONMENTAL = "miljomassig", _("Miljömässig hållbarhet")

    slug = models.SlugField(_("kortnamn"), unique=True, choices=Slug.choices)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("hållbarhetsdimension")
        verbose_name_plural = _("hållbarhetsdimensioner")
        ordering = ["order"]

    def __str__(self):
        return self.get_slug_display()

    @property
    def label(self) -> str:
        return self.english_label() if english_wanted() else str(self)

    @property
    def label_lang(self) -> str:
        return "en" if english_wanted() else "sv"

    def english_label(self) -> str:
        return DIMENSION_ENGLISH.get(self.slug, "")


class SdgGoal(Bilingual, models.Model):
    """One of the 17 Agenda 2030 goals. Fixed vocabulary, created by a migration (English names: 0007)."""

    label_field = "title"

    number = models.PositiveSmallIntegerField(
        _("nummer"), primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    title = models.CharField(_("rubrik"), max_length=100)
    title_en = models.CharField(_("rubrik på engelska"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("Agenda 2030-mål")
        verbose_name_plural = _("Agenda 2030-mål")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=17), name="sdggoal_number_1_17"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def numbered_label(self) -> str:
        """ "2. Ingen hunger", or "2. Zero hunger" on English pages."""
        return f"{self.number}. {self.label}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PUBLISHED = "published", _("Publicerad")


class FocusAreaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_list(self):
        """What a list of insatsområden shows: region, mandatory area and themes, without N+1."""
        return self.select_related("region", "mandatory_area").prefetch_related("themes")


class FocusArea(SourcedModel, TimestampedModel, CheckedModel):
    """A region's insatsområde: self-chosen, or its work under one of the mandatory areas."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="focus_areas", verbose_name=_("region")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    slug = models.SlugField(_("kortnamn i webbadressen"), max_length=100)
    summary = models.TextField(_("ingress"), blank=True)
    body = models.TextField(_("brödtext"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    mandatory_area = models.ForeignKey(
        MandatoryArea,
        on_delete=models.PROTECT,
        related_name="focus_areas",
        null=True,
        blank=True,
        verbose_name=_("obligatoriskt område"),
        help_text=_("Fyll i om regionen beskriver arbetet som en del av ett obligatoriskt område."),
    )
    themes = models.ManyToManyField(Theme, related_name="focus_areas", blank=True, verbose_name=_("teman"))
    dimensions = models.ManyToManyField(
        Dimension, related_name="focus_areas", blank=True, verbose_name=_("hållbarhetsdimensioner")
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, related_name="focus_areas", blank=True, verbose_name=_("Agenda 2030-mål")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    objects = FocusAreaQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["edited_at"], m2m_fields=[themes, dimensions, sdg_goals])

    class Meta:
        verbose_name = _("insatsområde")
        verbose_name_plural = _("insatsområden")
        ordering = ["region__short_name", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="focusarea_unique_slug_per_region"),
        ]
        indexes = [
            # The region page lists a region's published insatsområden in order.
            models.Index(fields=["region", "status", "order"], name="focusarea_region_status_order"),
            # The start page's "recently changed" list: the last few a person changed, newest first.
            models.Index(fields=["status", "-edited_at"], name="focusarea_status_edited"),
        ]

    def __str__(self):
        return f"{self.title} ({self.region.short_name})"

    def get_absolute_url(self):
        return reverse("focus_area_detail", args=[self.region.slug, self.slug])


class Activity(SourcedModel):
    """A step, bullet or named sub-effort under an insatsområde."""

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="activities", verbose_name=_("insatsområde")
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["focus_area", "order"]
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "order"], name="activity_unique_order"),
            models.CheckConstraint(condition=~models.Q(title="", body=""), name="activity_has_title_or_body"),
        ]

    def __str__(self):
        return self.title or self.body[:80]


class Link(SourcedModel):
    """A link on a region's page or, when `focus_area` is set, on one of its insatsområden.

    The url may be empty: some source texts name a link ("Projektets hemsida") whose address was lost
    when the text was copied. The label is kept so that an editor can find it and fill the address in.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="links", verbose_name=_("region")
    )
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="links",
        null=True,
        blank=True,
        verbose_name=_("insatsområde"),
    )
    label = models.CharField(_("länktext"), max_length=300)
    url = models.URLField(_("webbadress"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("länk")
        verbose_name_plural = _("länkar")
        ordering = ["region", "order"]

    def __str__(self):
        return self.label

    @property
    def safe_url(self) -> str:
        """The address if it is a web address, else "": the admin refuses anything else, but a record
        written around it (an import, a bug) must still never become a javascript: link on a page."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else ""

    def clean(self):
        if self.focus_area_id and self.region_id and self.focus_area.region_id != self.region_id:
            raise ValidationError({"focus_area": _("Insatsområdet hör till en annan region än länken.")})


# --- The search index (initiatives/search/) -------------------------------------------------------
# Derived data: written by initiatives/search/index.py from the records above, never edited, never in a
# backup; `python manage.py search_index` rebuilds it.


class SearchDocument(models.Model):
    """One searchable page or passage, with its words already normalised in Python (stems, folded forms,
    compound parts) so that both databases search the same terms.

    The four term columns are what the databases index, in falling weight: `title_terms`, `tag_terms`
    (the vocabulary an insatsområde is tagged with, its region's name), `body_terms`, and `other_terms`
    (every word again without diacritics, then the parts of compounds). PostgreSQL keeps `vector` from them
    by a trigger, under a GIN index; SQLite keeps an FTS5 table in step by triggers
    (initiatives/migrations/0008_search_index.py).
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        FOCUS_AREA = "focus_area", _("Insatsområde")
        ACTIVITY = "activity", _("Aktivitet")
        CONTACT = "contact", _("Kontaktperson")
        THEME = "theme", _("Tema")
        GOAL = "goal", _("Agenda 2030-mål")
        MANDATORY_AREA = "mandatory_area", _("Obligatoriskt område")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, related_name="+")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, null=True, related_name="+")
    title = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)  # a vocabulary page's English name
    path = models.CharField(max_length=300)  # the Swedish address; /en/ is added when shown
    text = models.TextField(blank=True)  # the plain text a snippet is cut from
    title_terms = models.TextField(blank=True)
    tag_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    other_terms = models.TextField(blank=True)
    version = models.PositiveSmallIntegerField()  # of the normalisation (index.py INDEX_VERSION)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class SearchTerm(models.Model):
    """Every folded term in the index, with a word it came from: what a misspelt word is corrected to."""

    term = models.CharField(max_length=100, unique=True)
    length = models.PositiveSmallIntegerField()
    word = models.CharField(max_length=100)

    def __str__(self):
        return self.term
