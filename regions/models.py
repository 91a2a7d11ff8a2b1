from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, models
from django.db.models.functions import Collate, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# SCB's county codes (länskoder) of today's 21 counties, one region each. The gaps are retired codes:
# 02 (Stockholms stad, 1968), 11 (merged into Skåne, 1997), 15 and 16 (into Västra Götaland, 1998).
COUNTY_CODES = [
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
]  # fmt: skip


SWEDISH_COLLATION = "sv-SE-x-icu"


def swedish_order(field: str):
    """Order by Swedish alphabetical order (… x y z å ä ö, case aside), whatever the database's default
    collation.

    PostgreSQL's ICU collation sorts Ö after Z even where the cluster's collation is en_US (which files
    "Örebro" under O), and lower and upper case together where it is C (which puts every capital first).
    SQLite has a collation of the same name, made in Python (regions/collation.py).
    """
    return Collate(field, SWEDISH_COLLATION)


class RegionQuerySet(models.QuerySet):
    def alphabetical(self):
        return self.order_by(swedish_order("short_name"))


class Source(models.Model):
    """A source text that catalogue entries were taken from (see fixtures/sources/)."""

    slug = models.SlugField(_("kortnamn"), unique=True)
    title = models.CharField(_("titel"), max_length=200)
    publisher = models.CharField(_("utgivare"), max_length=200)
    url = models.URLField(_("webbadress"), blank=True)
    file_name = models.CharField(
        _("fil"), max_length=200, help_text=_("Källtextens fil under fixtures/sources/ i kodförrådet.")
    )
    introduction = models.TextField(
        _("inledning"),
        blank=True,
        help_text=_("Källtextens allmänna inledning, som inte gäller en enskild region."),
    )
    published_on = models.DateField(
        _("publicerad"), null=True, blank=True, help_text=_("Källtextens datum, om det är känt.")
    )
    date_note = models.CharField(
        _("om datumet"),
        max_length=300,
        blank=True,
        help_text=_(
            "Vad som är känt om när texten skrevs, om den saknar datum, t.ex. "
            "”Odaterad; beskriver arbetet under 2021”. Visas i rutan ”Om uppgifterna”."
        ),
    )

    class Meta:
        verbose_name = _("källa")
        verbose_name_plural = _("källor")
        ordering = ["title"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"


class SourcedModel(models.Model):
    """Every catalogue record says which source text, and which section of it, it came from."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("källa"), null=True, blank=True
    )
    source_section = models.CharField(
        _("avsnitt i källan"),
        max_length=300,
        blank=True,
        help_text=_("Rubriken i källtexten som uppgiften står under, ordagrant."),
    )

    class Meta:
        abstract = True


class TimestampedModel(models.Model):
    """`created_at` and `updated_at` are technical: a seed or an import sets them too. `edited_at` is the
    last time a person changed the record (or its activities and links) and published the change, so the
    only date the public pages call "senast ändrad" (regions/edits.py keeps it)."""

    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)
    edited_at = models.DateTimeField(
        _("senast ändrad av en person"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sätts när en redaktör eller samordnare publicerar en ändring; inläsningar räknas inte."),
    )

    class Meta:
        abstract = True


class CheckedModel(models.Model):
    """Content a coordinator confirms as current now and then (editorial/checked.py)."""

    checked_on = models.DateField(
        _("kontrollerad"),
        null=True,
        blank=True,
        help_text=_("När en samordnare senast bekräftade att uppgifterna stämmer."),
    )

    class Meta:
        abstract = True


class Region(SourcedModel, TimestampedModel):
    name = models.CharField(
        _("namn"), max_length=100, unique=True, help_text=_("Officiellt namn som källan skriver det.")
    )
    short_name = models.CharField(_("kort namn"), max_length=50, unique=True)
    slug = models.SlugField(_("kortnamn i webbadressen"), unique=True)
    county_code = models.CharField(
        _("länskod"), max_length=2, unique=True, help_text=_("SCB:s länskod, 01–25.")
    )
    introduction = models.TextField(_("inledning"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_regions",
        blank=True,
        verbose_name=_("regionala samordnare"),
        help_text=_("Användare i gruppen Regional samordnare som får redigera regionens innehåll."),
    )

    objects = RegionQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["edited_at"])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regioner")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(county_code__in=COUNTY_CODES), name="region_valid_county_code"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("region_detail", args=[self.slug])


class SourceDiscrepancy(models.Model):
    """Where the two source texts say different things about one fact, both kept and both named."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="discrepancies", verbose_name=_("region")
    )
    focus_area = models.ForeignKey(
        "initiatives.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discrepancies",
        verbose_name=_("insatsområde"),
        help_text=_("Det insatsområde vars sida visar båda uppgifterna, om skillnaden gäller ett."),
    )
    subject = models.CharField(
        _("gäller"),
        max_length=300,
        help_text=_(
            "Vad uppgifterna gäller, t.ex. ”Antal kommuner som anmält intresse för landsbygdskontor”."
        ),
    )
    first_source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("den ena källan")
    )
    first_says = models.CharField(_("den ena källan säger"), max_length=500)
    second_source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("den andra källan")
    )
    second_says = models.CharField(_("den andra källan säger"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skillnad mellan källor")
        verbose_name_plural = _("skillnader mellan källor")
        ordering = ["region", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["region", "subject"], name="discrepancy_unique_subject"),
        ]

    def __str__(self):
        return f"{self.region.short_name}: {self.subject}"


class SeedRecord(models.Model):
    """What `manage.py seed` last wrote to one record, so a re-seed can tell an editor's change from its own.

    The fingerprint covers exactly the fields the seed sets. If the record no longer matches it, somebody
    edited the record after seeding, and the seed leaves it alone unless told `--force`.
    """

    model_label = models.CharField(max_length=100)
    natural_key = models.CharField(max_length=400)
    fingerprint = models.CharField(max_length=64)
    seeded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inläst post")
        verbose_name_plural = _("inlästa poster")
        constraints = [
            models.UniqueConstraint(fields=["model_label", "natural_key"], name="seedrecord_unique_key"),
        ]

    def __str__(self):
        return f"{self.model_label} {self.natural_key}"


class CatalogueVersion(models.Model):
    """One number that every change to the catalogue increases (regions/signals.py, and the seed).

    Cached pages and their ETags are keyed by it (portal/page_cache.py), so an edit shows at once in
    every process, and a browser that has the current page gets a 304.
    """

    value = models.BigIntegerField(default=0)
    # When the catalogue last changed (the Last-Modified of every public response): a database time, set
    # with the version in the same statement. Null until the first change after this field was added.
    changed_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("katalogversion")

    def __str__(self):
        return str(self.value)

    @classmethod
    def current(cls) -> int:
        return cls.state()[0]

    @classmethod
    def state(cls) -> tuple[int, "datetime | None"]:
        """The version and when it changed, in one small query (read on every public request)."""
        # Plain SQL, without the ORM's query building.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value, changed_at FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        if not row:
            return 0, None
        changed_at = row[1]
        if isinstance(changed_at, str):  # SQLite through a raw cursor: the stored text
            changed_at = datetime.fromisoformat(changed_at)
        if changed_at is not None and changed_at.tzinfo is None:
            changed_at = changed_at.replace(tzinfo=UTC)
        return row[0], changed_at

    @classmethod
    def bump(cls) -> None:
        # One statement, in the caller's transaction: a rolled-back edit leaves the version as it was.
        # The row is made by a migration (regions/migrations/0007); the fallback serves a database
        # whose row was deleted by hand.
        if not cls.objects.filter(pk=1).update(value=models.F("value") + 1, changed_at=Now()):
            cls.objects.get_or_create(pk=1, defaults={"value": 1, "changed_at": timezone.now()})
