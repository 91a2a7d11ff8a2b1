"""The portal's admin site: Django's, with the start page as each person's desk (editorial/desk.py) and
the change log's pages ("Senaste ändringar", editorial/changelog.py). Installed as the default admin site
by editorial.apps.PortalAdminConfig, so every `admin.register` lands here."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path

from . import changelog, desk
from .permissions import COORDINATOR_GROUP, _groups, edits_every_region


class PortalAdminSite(admin.AdminSite):
    index_template = "admin/editorial/index.html"

    def get_urls(self):
        return [
            path("andringar/", self.admin_view(self.changelog_view), name="editorial_changelog"),
            path(
                "andringar/<slug:kind>/<int:history_id>/",
                self.admin_view(self.change_view),
                name="editorial_change",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _may_read_changes(user):
        return user.is_active and (edits_every_region(user) or COORDINATOR_GROUP in _groups(user))

    def changelog_view(self, request):
        if not self._may_read_changes(request.user):
            raise PermissionDenied
        return changelog.changelog_view(request, self)

    def change_view(self, request, kind, history_id):
        if not self._may_read_changes(request.user):
            raise PermissionDenied
        return changelog.change_view(request, self, kind, history_id)

    def index(self, request, extra_context=None):
        user = request.user
        context = {**(extra_context or {})}
        if edits_every_region(user):
            context["editor_desk"] = desk.editor_desk()
        elif COORDINATOR_GROUP in _groups(user):
            context["coordinator_desk"] = desk.coordinator_desk(user)
            context["title"] = "Min region"
        return super().index(request, context)
