"""The admin's start page: "Min region" for a coordinator, the review queue's head for an editor.

A coordinator's desk answers "what is waiting for me, and what is out of date?" for each of their regions:
their working copies, what awaits review, what was sent back (with the comment), the insatsområden and
contacts nobody has confirmed for twelve months, contacts without e-mail or phone, and the public page.
An editor's start page answers "what did the regions change, and what waits for me?". Both read a fixed
number of queries, whatever the number of regions (tests/test_desk.py pins them).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from initiatives.models import FocusArea, Status
from regions.models import Region

from .checked import STALE_AFTER
from .models import ReviewEvent, Revision
from .permissions import COORDINATOR_GROUP, region_ids

LISTED = 10  # rows shown per list; the rest are a link away


def _stale(queryset):
    return queryset.exclude(checked_on__gte=timezone.localdate() - STALE_AFTER)


def _by_region(rows, key="region_id"):
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def coordinator_desk(user):
    ids = region_ids(user) or set()
    regions = list(Region.objects.filter(pk__in=ids).order_by("short_name"))
    revisions = _by_region(
        Revision.objects.filter(region_id__in=ids)
        .open()
        .select_related("updated_by", "submitted_by")
        .order_by("-updated_at")
    )
    sent_back_ids = [r.pk for rs in revisions.values() for r in rs if r.state == Revision.State.SENT_BACK]
    comments = {}
    for event in ReviewEvent.objects.filter(
        revision_id__in=sent_back_ids, action=ReviewEvent.Action.SENT_BACK
    ):
        comments[event.revision_id] = event  # the latest, by the events' order
    focus_area_type = ContentType.objects.get_for_model(FocusArea).pk
    asked_to_publish = {  # listed as waiting for review, not again as drafts
        r.object_id
        for rs in revisions.values()
        for r in rs
        if r.kind == Revision.Kind.PUBLISH and r.content_type_id == focus_area_type
    }
    drafts = _by_region(
        FocusArea.objects.filter(region_id__in=ids, status=Status.DRAFT)
        .exclude(pk__in=asked_to_publish)
        .only("pk", "title", "region_id")
    )
    stale_areas = _by_region(
        _stale(FocusArea.objects.filter(region_id__in=ids)).only("pk", "title", "region_id", "checked_on")
    )
    stale_contacts = _by_region(
        _stale(Contact.objects.filter(region_id__in=ids)).only("pk", "name", "region_id", "checked_on")
    )
    unreachable = _by_region(
        Contact.objects.filter(region_id__in=ids)
        .filter(Q(email="") | Q(phone=""))
        .only("pk", "name", "region_id", "email", "phone")
    )
    desk = []
    for region in regions:
        open_revisions = revisions.get(region.pk, [])
        for revision in open_revisions:
            revision.sent_back_event = comments.get(revision.pk)
        desk.append(
            {
                "region": region,
                "public_url": region.get_absolute_url(),
                "working_copies": [r for r in open_revisions if r.state == Revision.State.DRAFT],
                "draft_areas": drafts.get(region.pk, []),
                "submitted": [r for r in open_revisions if r.state == Revision.State.SUBMITTED],
                "sent_back": [r for r in open_revisions if r.state == Revision.State.SENT_BACK],
                "stale_areas": stale_areas.get(region.pk, []),
                "stale_contacts": stale_contacts.get(region.pk, []),
                "unreachable": unreachable.get(region.pk, []),
                "stale_areas_url": reverse("admin:initiatives_focusarea_changelist")
                + f"?region__id__exact={region.pk}&kontrollerad=gammal",
                "stale_contacts_url": reverse("admin:contacts_contact_changelist")
                + f"?region__id__exact={region.pk}&kontrollerad=gammal",
                "changes_url": reverse("admin:editorial_changelog") + f"?region={region.pk}",
            }
        )
    return desk


def editor_desk():
    waiting = Revision.objects.filter(state=Revision.State.SUBMITTED).select_related("region", "submitted_by")
    coordinators = get_user_model().objects.filter(groups__name=COORDINATOR_GROUP, is_active=True)
    week_ago = timezone.now() - timezone.timedelta(days=7)
    return {
        "waiting": list(waiting.order_by("submitted_at")[:LISTED]),
        "waiting_count": waiting.count(),
        "queue_url": reverse("admin:editorial_revision_changelist") + f"?lage={Revision.State.SUBMITTED}",
        "changes_url": reverse("admin:editorial_changelog")
        + f"?since={timezone.localdate(week_ago).isoformat()}",
        "without_email": list(coordinators.filter(email="").order_by("username")),
    }
