"""The review queue ("Granskning") and each revision's page: what changes, word by word, against the
published version; a preview on the real page design; approve or send back with a comment; and the
revision's whole timeline. Editors see every region's; a coordinator sees their own regions', and may
withdraw or resubmit their own.
"""

import copy

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import notifications
from .changes import content_admin, revision_changes
from .conflicts import admin_time
from .diff import from_snapshot, record_changes, snapshot
from .models import ReviewEvent, Revision
from .permissions import COORDINATOR_GROUP, _groups, edits_every_region, may_publish
from .scoping import RegionScopedAdminMixin

COMMENT_LIMIT = 4000


class StateFilter(admin.SimpleListFilter):
    title = gettext_lazy("läge")
    parameter_name = "lage"

    def lookups(self, request, model_admin):
        return [
            ("oppen", _("Öppna (utkast, väntar, tillbakaskickade)")),
            *Revision.State.choices,
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "oppen":
            return queryset.open()
        if value in Revision.State.values:
            return queryset.filter(state=value)
        return queryset


class RevisionAdmin(RegionScopedAdminMixin, admin.ModelAdmin):
    list_display = ["what", "kind", "region", "state_label", "submitted_by", "submitted"]
    # Only the regions the user's revisions are in: a coordinator is not offered the other twenty.
    list_filter = [StateFilter, "kind", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region", "submitted_by", "updated_by", "content_type"]
    search_fields = ["object_repr"]
    change_form_template = "admin/editorial/revision/review.html"
    actions = None

    # --- Who may see and do what --------------------------------------------------------------------

    def _is_staff_role(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (edits_every_region(user) or COORDINATOR_GROUP in _groups(user))
        )

    def has_module_permission(self, request):
        return self._is_staff_role(request)

    def has_view_permission(self, request, obj=None):
        return self._is_staff_role(request) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # decisions are the review page's buttons, not a form of the revision's fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- The list ---------------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("post"), ordering="object_repr")
    def what(self, obj):
        return obj.object_repr

    @admin.display(description=gettext_lazy("läge"), ordering="state")
    def state_label(self, obj):
        return obj.state_label

    @admin.display(description=gettext_lazy("inskickad"), ordering="submitted_at")
    def submitted(self, obj):
        return admin_time(obj.submitted_at) if obj.submitted_at else "–"

    def changelist_view(self, request, extra_context=None):
        if not request.GET and edits_every_region(request.user):
            # The queue: what waits for an editor, oldest first in its day.
            return HttpResponseRedirect(f"{request.path}?lage={Revision.State.SUBMITTED}")
        return super().changelist_view(request, {"title": _("Granskning"), **(extra_context or {})})

    # --- One revision -----------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/forhandsvisa/",
                self.admin_site.admin_view(self.preview_view),
                name="editorial_revision_preview",
            ),
            *super().get_urls(),
        ]

    def _revision(self, request, object_id):
        revision = self.get_object(request, unquote(object_id))
        if revision is None or not self.has_view_permission(request, revision):
            raise Http404
        return revision

    def _target(self, request, revision):
        """The record, through its own admin's scoped queryset (None if it is gone or not the user's)."""
        model_admin = content_admin(revision)
        if model_admin is None:
            return None, None
        return model_admin, model_admin.get_object(request, str(revision.object_id))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self._revision(request, object_id)
        model_admin, obj = self._target(request, revision)
        problems = []
        if request.method == "POST":
            response = self._decide(request, revision, model_admin, obj, problems)
            if response is not None:
                return response
            revision.refresh_from_db()
        changes = None
        if revision.changes is not None:
            changes = from_snapshot(revision.changes)  # as it was when it was decided
        elif obj is not None and revision.kind == Revision.Kind.CHANGE and revision.data and revision.is_open:
            with transaction.atomic():
                changes = revision_changes(request, revision, obj)
        elif obj is not None and revision.kind == Revision.Kind.PUBLISH and revision.is_open:
            latest = obj.history.order_by("-history_id").first()  # what the public will see, field by field
            changes = {"fields": record_changes(latest, None) if latest else [], "inlines": []}
        user = request.user
        own_or_editor = user.pk in {revision.submitted_by_id, revision.created_by_id} or edits_every_region(
            user
        )
        reopenable = (
            revision.state == Revision.State.WITHDRAWN
            and revision.kind == Revision.Kind.CHANGE
            and obj is not None
            and model_admin.has_change_permission(request, obj)
            and not Revision.objects.for_object(obj).open().filter(kind=revision.kind).exists()
        )
        opts = revision.content_type.model_class()._meta if obj is not None else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(kind)s: %(what)s")
            % {"kind": revision.get_kind_display(), "what": revision.object_repr},
            "subtitle": None,
            "opts": self.model._meta,
            "original": revision,
            "revision": revision,
            "target": obj,
            "changes": changes,
            "events": revision.events.select_related("user"),
            "problems": problems,
            "may_decide": revision.state == Revision.State.SUBMITTED
            and obj is not None
            and may_publish(user),
            "may_unsubmit": revision.state == Revision.State.SUBMITTED
            and revision.kind == Revision.Kind.CHANGE
            and own_or_editor,
            "may_discard": revision.is_open and own_or_editor,
            "may_reopen": reopenable,
            "request_comment": revision.events.filter(
                action__in=[ReviewEvent.Action.DELETE_REQUESTED, ReviewEvent.Action.SUBMITTED]
            )
            .exclude(comment="")
            .last(),
            "may_resubmit": revision.state == Revision.State.SENT_BACK
            and revision.kind != Revision.Kind.CHANGE
            and obj is not None,
            "edit_url": (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]) if opts else ""
            ),
            "history_url": (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]) if opts else ""
            ),
            "preview_url": (
                reverse("admin:editorial_revision_preview", args=[revision.pk])
                if obj is not None and revision.kind == Revision.Kind.CHANGE and revision.is_open
                else ""
            ),
            "submitted_time": admin_time(revision.submitted_at) if revision.submitted_at else "",
            "queue_url": reverse("admin:editorial_revision_changelist"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_form_template, context)

    def _decide(self, request, revision, model_admin, obj, problems):
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "").replace("\r\n", "\n").strip()
        if len(comment) > COMMENT_LIMIT:
            problems.append(
                _("Kommentaren är %(n)d tecken lång; den får vara högst %(limit)d. Inget är gjort.")
                % {"n": len(comment), "limit": COMMENT_LIMIT}
            )
            return None
        user = request.user
        with transaction.atomic():
            locked = Revision.objects.select_for_update().filter(pk=revision.pk).first()
            if (
                locked is None
                or locked.state != revision.state
                or str(locked.lock) != request.POST.get("lock", "")
            ):
                problems.append(
                    _("Någon har ändrat eller beslutat om det här medan du läste. Inget är gjort: läs igen.")
                )
                return None
            revision = locked
            own_or_editor = user.pk in {
                revision.submitted_by_id,
                revision.created_by_id,
            } or edits_every_region(user)
            if action == "unsubmit":
                if revision.state != Revision.State.SUBMITTED or not own_or_editor:
                    raise PermissionDenied
                revision.state = Revision.State.DRAFT
                revision.lock += 1
                revision.save(update_fields=["state", "lock", "updated_at"])
                ReviewEvent.objects.create(
                    revision=revision, action=ReviewEvent.Action.UNSUBMITTED, user=user, comment=comment
                )
                self.message_user(request, _("Tagen tillbaka från granskningen: den är ett utkast igen."))
                return HttpResponseRedirect(request.path)
            if action == "discard":
                if not revision.is_open or not own_or_editor:
                    raise PermissionDenied
                if not request.POST.get("confirm_discard"):
                    problems.append(
                        _(
                            "Kryssa i att du vill kasta arbetskopian. Den publicerade versionen påverkas "
                            "inte; arbetskopian kan återupptas härifrån."
                        )
                    )
                    return None
                if obj is not None and revision.kind == Revision.Kind.CHANGE and revision.data:
                    request._portal_changes_snapshot = snapshot(revision_changes(request, revision, obj))
                request._portal_review_comment = comment
                model_admin._close(request, revision, Revision.State.WITHDRAWN, ReviewEvent.Action.DISCARDED)
                self.message_user(
                    request,
                    _(
                        "Arbetskopian är kastad. Den publicerade versionen är oförändrad; du kan "
                        "återuppta den här."
                    ),
                )
                return HttpResponseRedirect(request.path)
            if action == "reopen":
                if (
                    revision.state != Revision.State.WITHDRAWN
                    or revision.kind != Revision.Kind.CHANGE
                    or obj is None
                    or not model_admin.has_change_permission(request, obj)
                ):
                    raise PermissionDenied
                if Revision.objects.for_object(obj).open().filter(kind=revision.kind).exists():
                    problems.append(
                        _("Det finns redan en öppen arbetskopia av det här; öppna den i stället.")
                    )
                    return None
                revision.state, revision.changes = Revision.State.DRAFT, None
                revision.lock += 1
                revision.save(update_fields=["state", "changes", "lock", "updated_at"])
                ReviewEvent.objects.create(revision=revision, action=ReviewEvent.Action.REOPENED, user=user)
                self.message_user(request, _("Arbetskopian är återupptagen som utkast."))
                return HttpResponseRedirect(request.path)
            if action == "resubmit":
                if revision.state != Revision.State.SENT_BACK or obj is None:
                    raise PermissionDenied
                revision.state, revision.submitted_at, revision.submitted_by = (
                    Revision.State.SUBMITTED,
                    timezone.now(),
                    user,
                )
                revision.lock += 1
                revision.save()
                ReviewEvent.objects.create(
                    revision=revision, action=ReviewEvent.Action.SUBMITTED, user=user, comment=comment
                )
                notifications.on_commit_submitted(revision)
                self.message_user(request, _("Skickat för granskning igen."))
                return HttpResponseRedirect(request.path)
            if action not in {"approve", "send_back"}:
                problems.append(_("Välj att godkänna eller att skicka tillbaka."))
                return None
            if revision.state != Revision.State.SUBMITTED or obj is None or not may_publish(user):
                raise PermissionDenied
            if action == "send_back":
                if not comment:
                    problems.append(_("Skriv en kommentar: samordnaren behöver veta vad som ska ändras."))
                    return None
                revision.state = Revision.State.SENT_BACK
                revision.lock += 1
                revision.save(update_fields=["state", "lock", "updated_at"])
                event = ReviewEvent.objects.create(
                    revision=revision, action=ReviewEvent.Action.SENT_BACK, user=user, comment=comment
                )
                notifications.on_commit_decided(revision, event)
                self.message_user(request, _("Skickad tillbaka med din kommentar."))
                return HttpResponseRedirect(reverse("admin:editorial_revision_changelist"))
            # Approve.
            request._portal_review_comment = comment
            if revision.kind == Revision.Kind.CHANGE:
                request._portal_changes_snapshot = snapshot(revision_changes(request, revision, obj))
                found = model_admin.publish_working_copy(request, obj, revision)
                if found:
                    transaction.set_rollback(True)
                    problems += found
                    problems.append(
                        _(
                            "Inget är publicerat. Öppna arbetskopian, lös det som står ovan och spara den; "
                            "godkänn sedan igen."
                        )
                    )
                    return None
            elif revision.kind == Revision.Kind.PUBLISH:
                model_admin.publish_request(request, obj, revision)
                model_admin._close(request, revision, Revision.State.PUBLISHED, ReviewEvent.Action.PUBLISHED)
            else:
                model_admin._close(request, revision, Revision.State.PUBLISHED, ReviewEvent.Action.DELETED)
                for other in Revision.objects.for_object(obj).open().exclude(pk=revision.pk):
                    request._portal_review_comment = _("Posten togs bort.")
                    request._portal_changes_snapshot = None
                    model_admin._close(request, other, Revision.State.WITHDRAWN, ReviewEvent.Action.WITHDRAWN)
                model_admin.log_deletions(request, type(obj)._default_manager.filter(pk=obj.pk))
                model_admin.delete_model(request, obj)
        self.message_user(
            request,
            _("”%(what)s” är publicerad.") % {"what": revision.object_repr}
            if revision.kind != Revision.Kind.DELETE
            else _("Borttagningen är genomförd."),  # no name: a contact's is erased with it
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:editorial_revision_changelist"))

    def preview_view(self, request, object_id):
        """The public page as it will look once the working copy is published: the copy is applied in a
        transaction that is rolled back, and the page is rendered inside it (staff pages are never
        cached: portal/page_cache.py)."""
        revision = self._revision(request, object_id)
        model_admin, obj = self._target(request, revision)
        if obj is None or revision.kind != Revision.Kind.CHANGE or not revision.is_open:
            raise Http404
        trial = copy.copy(request)
        trial._messages = FallbackStorage(trial)  # the trial save's messages are not the user's
        trial.__dict__.pop("_portal_revisions", None)
        with transaction.atomic():
            problems = model_admin.publish_working_copy(trial, obj, revision)
            if problems:
                transaction.set_rollback(True)
                self.message_user(
                    request,
                    _("Arbetskopian går inte att förhandsvisa så som den är: %(problems)s")
                    % {"problems": " ".join(problems)},
                    messages.ERROR,
                )
                return HttpResponseRedirect(reverse("admin:editorial_revision_change", args=[revision.pk]))
            saved = type(obj)._default_manager.get(pk=obj.pk)
            public = saved if hasattr(saved, "get_absolute_url") else saved.region  # a contact: its region
            url = public.get_absolute_url()
            match = resolve(url)
            view = getattr(match.func, "__wrapped__", match.func)
            page = copy.copy(request)
            page.path = page.path_info = url
            page.portal_revision_preview = {
                "revision": revision,
                "review_url": reverse("admin:editorial_revision_change", args=[revision.pk]),
            }
            response = view(page, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            transaction.set_rollback(True)
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response
