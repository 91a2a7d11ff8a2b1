"""The admin of a region's content (regions, insatsområden, links, contacts), one base for all four:

- scoped to the regions the user may edit (admin_scoping.py),
- conflict-safe, with a three-way merge of simultaneous edits (admin_conflicts.py),
- with a history of every change (django-simple-history) and a restore that follows the same rules as a
  save (admin_restore.py).
"""

from simple_history.admin import SimpleHistoryAdmin

from .admin_conflicts import ConflictSafeAdminMixin
from .admin_restore import RestoreVersionAdminMixin
from .admin_scoping import RegionScopedAdminMixin


class RegionContentAdmin(
    RestoreVersionAdminMixin, ConflictSafeAdminMixin, RegionScopedAdminMixin, SimpleHistoryAdmin
):
    pass
