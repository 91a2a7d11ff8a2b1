"""Who may edit what. One place for the rule; the admin and the onboarding commands use it.

- Superusers (operations) and the group "Redaktör" (Tillväxtverket's editors): every region.
- The group "Regional samordnare": only the regions they are assigned to (Region.coordinators).
- Anyone else: nothing.
"""

from django.conf import settings
from django.db.models import Q

EDITOR_GROUP = "Redaktör"
COORDINATOR_GROUP = "Regional samordnare"


def _groups(user) -> set[str]:
    if not hasattr(user, "_portal_groups"):
        user._portal_groups = (
            set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        )
    return user._portal_groups


def edits_every_region(user) -> bool:
    return user.is_active and (user.is_superuser or EDITOR_GROUP in _groups(user))


def region_ids(user) -> set[int] | None:
    """The ids of the regions the user may edit: None means all of them. Cached on the user object,
    which lives for one request."""
    if edits_every_region(user):
        return None
    if not hasattr(user, "_portal_region_ids"):
        if user.is_active and COORDINATOR_GROUP in _groups(user):
            user._portal_region_ids = set(user.coordinated_regions.values_list("pk", flat=True))
        else:
            user._portal_region_ids = set()
    return user._portal_region_ids


def region_filter(user, path: str) -> Q:
    """A filter for objects whose region is reached by `path` ("region", "focus_area__region", "pk")."""
    ids = region_ids(user)
    if ids is None:
        return Q()
    return Q(**{f"{path}__in": ids}) if path != "pk" else Q(pk__in=ids)


def may_edit_region(user, region_id) -> bool:
    ids = region_ids(user)
    return ids is None or region_id in ids


def may_publish(user) -> bool:
    """Whether the user's saves go live at once. Editors' always do; coordinators' only where
    PUBLISH_REQUIRES_EDITOR is off. Otherwise a coordinator's change is a working copy that an editor
    reviews (editorial/moderation.py)."""
    return edits_every_region(user) or (user.is_active and not settings.PUBLISH_REQUIRES_EDITOR)
