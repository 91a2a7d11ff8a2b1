"""The admin of a region's content (regions, insatsområden, links, contacts), one base for all four:

- scoped to the regions the user may edit (scoping.py),
- conflict-safe, with a three-way merge of simultaneous edits (conflicts.py),
- with a history of every change (django-simple-history) and a restore that follows the same rules as a
  save (restore.py).
"""

from simple_history.admin import SimpleHistoryAdmin

from .conflicts import ConflictSafeAdminMixin
from .restore import RestoreVersionAdminMixin
from .scoping import RegionScopedAdminMixin


class RegionContentAdmin(
    RestoreVersionAdminMixin, ConflictSafeAdminMixin, RegionScopedAdminMixin, SimpleHistoryAdmin
):
    pass
