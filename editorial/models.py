"""Review before publishing: a working copy beside the published one, and every decision about it.

A `Revision` is the working copy of one published record (an insatsområde with its activities and links,
a region's page with its links, a contact): the change form as its author last saved it. The public site
never reads it; publishing applies it through the same admin form, validation and conflict merge as an
ordinary save (editorial/moderation.py). A revision can also be a request to publish a record that is not
public yet, or to delete a published one.

Every step (saved, submitted, sent back, published, withdrawn) is a `ReviewEvent` with who, when and the
reviewer's comment, shown on the record's history page, the review page and "Senaste ändringar".
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class RevisionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Revision.OPEN_STATES)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Revision(models.Model):
    class Kind(models.TextChoices):
        CHANGE = "change", _("Ändring")
        PUBLISH = "publish", _("Publicering")
        DELETE = "delete", _("Borttagning")

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Väntar på granskning")
        SENT_BACK = "sent_back", _("Skickad tillbaka")
        PUBLISHED = "published", _("Publicerad")
        WITHDRAWN = "withdrawn", _("Återkallad")

    OPEN_STATES = [State.DRAFT, State.SUBMITTED, State.SENT_BACK]

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("slag av post"))
    object_id = models.PositiveIntegerField(_("postens id"))
    object_repr = models.CharField(_("post"), max_length=300)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("region")
    )
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.CHANGE)
    state = models.CharField(_("läge"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The change form as it was last saved (field name → the list of values the browser sent), and the
    # names of that form's fields: a field the saver's form did not have keeps its published value.
    data = models.JSONField(_("arbetskopia"), default=dict, blank=True)
    form_fields = models.JSONField(default=list, blank=True)
    # Increased by every save of the working copy: two people saving the same copy cannot overwrite
    # each other unseen (editorial/moderation.py).
    lock = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("påbörjad av"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("senast sparad av"),
    )
    created_at = models.DateTimeField(_("påbörjad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inskickad av"),
    )
    # What publishing or discarding it changed, as it was then (editorial/diff.py: snapshot): once the
    # record has moved on, a comparison with today's record would no longer say what was decided.
    changes = models.JSONField(_("ändringar när beslutet togs"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("granskning")
        verbose_name_plural = _("granskningar")
        ordering = ["-submitted_at", "-updated_at"]
        constraints = [
            # One working copy per record, and one open deletion request.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=models.Q(state__in=["draft", "submitted", "sent_back"]),
                name="revision_one_open_per_object_and_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "region"], name="revision_state_region"),
            models.Index(fields=["content_type", "object_id"], name="revision_object"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.object_repr}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def state_label(self) -> str:
        if self.kind == self.Kind.DELETE and self.state == self.State.PUBLISHED:
            return str(_("Borttagen"))
        return self.get_state_display()

    @property
    def token(self) -> str:
        """What a change form carries to say which state of the working copy it was loaded from."""
        return f"{self.pk}:{self.lock}"

    def latest_comment(self):
        event = self.events.exclude(comment="").order_by("-at", "-pk").first()
        return event


class ReviewEvent(models.Model):
    class Action(models.TextChoices):
        SAVED = "saved", _("sparade arbetskopian")
        SUBMITTED = "submitted", _("skickade för granskning")
        DELETE_REQUESTED = "delete_requested", _("begärde borttagning")
        UNSUBMITTED = "unsubmitted", _("tog tillbaka från granskningen")
        SENT_BACK = "sent_back", _("skickade tillbaka")
        PUBLISHED = "published", _("godkände och publicerade")
        PUBLISHED_DIRECTLY = "published_directly", _("publicerade arbetskopian")
        DELETED = "deleted", _("godkände borttagningen")
        DISCARDED = "discarded", _("kastade arbetskopian")
        REOPENED = "reopened", _("återupptog arbetskopian")
        REPLACED = "replaced", _("ersatte arbetskopian med sin egen version")
        WITHDRAWN = "withdrawn", _("stängde")

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="events", verbose_name=_("granskning")
    )
    action = models.CharField(_("händelse"), max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("av")
    )
    at = models.DateTimeField(_("när"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningshändelser")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} ({self.revision})"
