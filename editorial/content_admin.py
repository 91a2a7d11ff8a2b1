"""The admin of a region's content (regions, insatsområden, links, contacts), one base for all four:

- scoped to the regions the user may edit (scoping.py),
- conflict-safe, with a three-way merge of simultaneous edits (conflicts.py),
- with a history of every change (django-simple-history) and a restore that follows the same rules as a
  save (restore.py),
- with review before publishing: a working copy beside the published copy (moderation.py).
"""

from simple_history.admin import SimpleHistoryAdmin

from .conflicts import ConflictSafeAdminMixin
from .moderation import ModerationAdminMixin
from .permissions import region_ids
from .restore import RestoreVersionAdminMixin
from .scoping import RegionScopedAdminMixin


class RegionContentAdmin(
    ModerationAdminMixin,
    RestoreVersionAdminMixin,
    ConflictSafeAdminMixin,
    RegionScopedAdminMixin,
    SimpleHistoryAdmin,
):
    # Spara at the top too: the forms of insatsområden with their activities are long.
    save_on_top = True

    def get_changeform_initial_data(self, request):
        # A coordinator with one region gets it preselected.
        initial = super().get_changeform_initial_data(request)
        ids = region_ids(request.user)
        if ids is not None and len(ids) == 1 and "region" not in initial and self.region_path != "pk":
            initial["region"] = next(iter(ids))
        return initial
