"""Working copy and published copy in the admin's change form (the model is in editorial/models.py).

On a published record (an insatsområde with status "publicerad", a region, a contact shown publicly):
- "Spara som utkast" keeps the change form, as sent, as the record's working copy; the public site, the
  search, the feeds, the API and the exports still show the published copy.
- "Skicka för granskning" does the same and asks the editors to review it (an e-mail to each).
- "Publicera" (editors; coordinators too where PUBLISH_REQUIRES_EDITOR is off) saves the record as an
  ordinary admin save does. A coordinator who may not publish cannot: any save of theirs is a working copy.

Whoever opens the change form of a record with a working copy gets the working copy, bound to the form as
its author sent it, so the form's own validation and the three-way merge of editorial/conflicts.py run on
it: if an editor changed the published copy meanwhile, their change is merged in or shown as a conflict.
Publishing a working copy, from the change form or by approving it in the review queue
(editorial/review_admin.py), goes through the same form, validation and save.

On a record that is not public yet (a draft insatsområde, a hidden contact), saving is direct, as before,
and "Skicka för granskning" asks the editors to publish it. A coordinator who may not publish and who
deletes a published record makes a request that an editor approves.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications
from .changes import data_changes
from .conflicts import VERSION_FIELD, admin_time, locked, put_value, value_in_record
from .diff import snapshot
from .models import ReviewEvent, Revision
from .permissions import may_publish

WORKING_COPY_FIELD = "working_copy"
REPLACES_FIELD = "replaces_copy"
PUBLISHED_COPY = "publicerad"  # ?publicerad=1: an editor edits the published copy, not the working copy
DRAFT_BUTTON = "_draft"
SUBMIT_BUTTON = "_submit_review"
# What a browser sends that is not the form's content.
NOT_STORED = {
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    DRAFT_BUTTON,
    SUBMIT_BUTTON,
    "publicerad",
}


class ModerationAdminMixin:
    # How a record is hidden from the public: (field, published value, hidden value); None: always public.
    publish_field = None

    # --- What the record is now ---------------------------------------------------------------------

    def is_live(self, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        if self.publish_field is None:
            return True
        name, public, _hidden = self.publish_field
        return getattr(obj, name) == public

    def open_revision(self, request, obj, kind=Revision.Kind.CHANGE):
        """The record's open revision of `kind`, read once per request."""
        cache = request.__dict__.setdefault("_portal_revisions", {})
        key = (self.model, obj.pk, kind)
        if key not in cache:
            cache[key] = (
                Revision.objects.for_object(obj)
                .open()
                .filter(kind=kind)
                .select_related("updated_by", "submitted_by")
                .first()
            )
        return cache[key]

    def _forget_revisions(self, request):
        request.__dict__.pop("_portal_revisions", None)

    def saves_working_copy(self, request) -> bool:
        """Whether this POST to the change form keeps a working copy instead of publishing."""
        if getattr(request, "_portal_mode", None) is not None:
            return request._portal_mode == "working_copy"
        return False

    def edits_published_copy(self, request) -> bool:
        """An editor who asked for the published copy ("Redigera den publicerade versionen i stället"), to
        fix it without publishing somebody's working copy; the copy stays open and takes in the fix."""
        asked = PUBLISHED_COPY in request.GET or PUBLISHED_COPY in request.POST
        return asked and may_publish(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._portal_mode = None
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if request.method == "POST" and obj is not None and self.is_live(obj):
            wants_copy = DRAFT_BUTTON in request.POST or SUBMIT_BUTTON in request.POST
            # A user who may not publish never publishes, whatever button the request names.
            if wants_copy or not may_publish(request.user):
                request._portal_mode = "working_copy"
            else:
                request._portal_mode = "publish"
                revision = self.open_revision(request, obj)
                if revision is not None and not self.edits_published_copy(request):
                    request._portal_change_reason = _("Arbetskopian publicerad (påbörjad av %(who)s)") % {
                        "who": revision.created_by or _("okänd")
                    }
                    request._portal_changes_snapshot = self._changes_of(request, obj, request.POST)
        extra_context = {**(extra_context or {}), **self._moderation_context(request, obj)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            if request.method != "POST":
                raise
        # Two saves of the same new record at once (a double submit, a retry): the other one committed
        # first and the database refused this one, after the form had found nothing in the way. Asked
        # again, the form now finds it and says so, with everything this person typed still in it.
        self._forget_revisions(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self.message_user(
                request,
                _(
                    "Någon sparade samma sak samtidigt som du, så inget av det du skrev är sparat. "
                    "Försök igen."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())

    def _changes_of(self, request, obj, data):
        return snapshot(data_changes(request, self, obj, data))

    def _moderation_context(self, request, obj):
        live = self.is_live(obj)
        revision = self.open_revision(request, obj) if live else None
        publish_request = (
            self.open_revision(request, obj, Revision.Kind.PUBLISH) if obj is not None and not live else None
        )
        return {
            "moderation": {
                "published_copy": live and revision is not None and self.edits_published_copy(request),
                "live": live,
                "may_publish": may_publish(request.user),
                "revision": revision,
                "publish_request": publish_request,
                "comment": revision.latest_comment() if revision else None,
                "review_url": (
                    reverse("admin:editorial_revision_change", args=[(revision or publish_request).pk])
                    if (revision or publish_request)
                    else ""
                ),
            }
        }

    # --- The form: bound to the working copy, and guarded by its token --------------------------------

    def working_data(self, request, obj, revision, form_class) -> QueryDict:
        """The working copy as form data for `form_class` (this user's form): what its saver sent, and for
        fields the saver's form did not have (an editor's, say), the published values."""
        data = QueryDict(mutable=True)
        saver_fields = set(revision.form_fields)
        for name, field in form_class.base_fields.items():
            if name in saver_fields or name in {VERSION_FIELD, WORKING_COPY_FIELD, REPLACES_FIELD}:
                continue
            try:
                model_field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            put_value(data, name, field, value_in_record(obj, model_field))
        for key, values in revision.data.items():
            data.setlist(key, values)
        data[WORKING_COPY_FIELD] = revision.token
        return data

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None or not change or not self.is_live(obj):
            return form_class
        admin, revision = self, self.open_revision(request, obj)
        token = revision.token if revision else ""

        class WorkingCopyForm(form_class):
            working_copy = forms.CharField(widget=forms.HiddenInput, required=False, initial=token)
            # Set when this person was told that somebody else's working copy is newer: saving again
            # replaces it, and the replaced copy is kept, to reopen (ModerationAdminMixin._replace).
            replaces_copy = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, data=None, files=None, *args, **kw):
                if data is None and revision is not None and not admin.edits_published_copy(request):
                    data = admin.working_data(request, obj, revision, form_class)
                    request._portal_bind_data = data  # for the inlines (get_formset_kwargs)
                super().__init__(data, files, *args, **kw)

            def clean(self):
                cleaned = super().clean()  # locks the record first (editorial/conflicts.py)
                now = Revision.objects.for_object(obj).open().filter(kind=Revision.Kind.CHANGE)
                now = locked(now).select_related("updated_by").first()
                sent = self.data.get(WORKING_COPY_FIELD, "")
                if sent != (now.token if now else ""):
                    self.data = self.data.copy()
                    self.data[WORKING_COPY_FIELD] = now.token if now else ""  # saving again is deliberate
                    self.data[REPLACES_FIELD] = now.token if now else ""
                    admin._forget_revisions(request)
                    if now is not None and now.updated_by_id == request.user.pk:
                        raise ValidationError(
                            _(
                                "Du sparade en arbetskopia av det här %(when)s i ett annat fönster eller en "
                                "annan flik, efter att det här formuläret öppnades. Inget av det du skrev "
                                "här är sparat; det står kvar. Spara igen om den här versionen ska gälla: "
                                "den andra behålls, stängd, och kan återupptas."
                            )
                            % {"when": admin_time(now.updated_at)}
                        )
                    if now is not None:
                        raise ValidationError(
                            _(
                                "%(who)s sparade en arbetskopia av det här %(when)s, medan du redigerade. "
                                "Inget av det du skrev är sparat; det står kvar i formuläret. Öppna sidan "
                                "på nytt i en annan flik för att se deras arbetskopia, eller spara igen om "
                                "din version ska ersätta den."
                            )
                            % {"who": now.updated_by or _("okänd"), "when": admin_time(now.updated_at)}
                        )
                    raise ValidationError(
                        _(
                            "Arbetskopian du redigerade har publicerats eller dragits tillbaka medan du "
                            "redigerade. Det du skrev står kvar i formuläret; spara igen för att behålla det."
                        )
                    )
                return cleaned

        WorkingCopyForm.__name__ = form_class.__name__
        return WorkingCopyForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        formsets = [f.formset for f in context.get("inline_admin_formsets", [])]
        gone = any(getattr(f, "vanished", False) for formset in formsets for f in formset.forms)
        if (
            request.method == "GET"
            and form.is_bound
            and not form.errors
            and (getattr(form, "merged", None) or gone)
        ):
            # The working copy opened on a published copy that changed since: say what was merged in.
            self.report_merges(request, form, formsets)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        bound = getattr(request, "_portal_bind_data", None)
        if bound is not None and request.method != "POST" or getattr(request, "_portal_bind_always", False):
            kwargs.update({"data": bound.copy(), "files": {}})
        return kwargs

    # --- Saving -----------------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if self.saves_working_copy(request):
            return  # the record is not written: save_related keeps the working copy
        if not change and self.publish_field is not None and not may_publish(request.user):
            name, public, hidden = self.publish_field
            if form.cleaned_data.get(name) == public:
                request._portal_request_publication = True  # meant to be public: ask an editor
            setattr(obj, name, hidden)  # published by an editor's approval, not by being created
        if not change and hasattr(obj, "checked_on") and obj.checked_on is None:
            obj.checked_on = timezone.localdate()  # whoever writes it confirms it, today
        reason = getattr(request, "_portal_change_reason", None)
        if reason:
            obj._change_reason = reason
        return super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = getattr(request, "_portal_change_reason", None)
        if reason:
            for inline_form in formset.forms:
                inline_form.instance._change_reason = reason
        return super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        if self.saves_working_copy(request):
            self._keep_working_copy(request, form, formsets)
            self.report_merges(request, form, formsets)
            return
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if getattr(request, "_portal_mode", None) == "publish" and not self.edits_published_copy(request):
            revision = self.open_revision(request, obj)
            if revision is not None and self._replaces(form, revision):
                # Published over somebody else's newer copy, after being told: theirs is kept, to reopen.
                request._portal_changes_snapshot = self._changes_of(
                    request, obj, self.working_data(request, obj, revision, type(form))
                )
                self._close(request, revision, Revision.State.WITHDRAWN, ReviewEvent.Action.REPLACED)
            elif revision is not None:
                approved = getattr(request, "_portal_approving", False)
                action = ReviewEvent.Action.PUBLISHED if approved else ReviewEvent.Action.PUBLISHED_DIRECTLY
                self._close(request, revision, Revision.State.PUBLISHED, action)
        asked = SUBMIT_BUTTON in request.POST or getattr(request, "_portal_request_publication", False)
        if asked and not self.is_live(obj):
            self._request_publication(request, obj)

    @staticmethod
    def _replaces(form, revision) -> bool:
        return bool(revision) and form.cleaned_data.get(REPLACES_FIELD) == revision.token

    def _stored_data(self, request, form, formsets) -> tuple[dict, list]:
        return self._stored_data_from(request.POST, form, formsets)

    def _stored_data_from(self, base, form, formsets) -> tuple[dict, list]:
        stored = {
            k: v
            for k, v in base.lists()
            if k not in NOT_STORED and k not in {WORKING_COPY_FIELD, REPLACES_FIELD}
        }
        # A merge (editorial/conflicts.py) changes the forms' own data: keep what was merged, not what
        # was sent.
        for each in [form, *(f for formset in formsets for f in formset.forms)]:
            for name in each.fields:
                key = each.add_prefix(name)
                if key in {each.add_prefix(WORKING_COPY_FIELD), each.add_prefix(REPLACES_FIELD)}:
                    continue
                if key in each.data:
                    stored[key] = each.data.getlist(key)
                else:
                    stored.pop(key, None)
        return stored, [name for name in form.fields if name not in {WORKING_COPY_FIELD, REPLACES_FIELD}]

    def _region_of(self, obj):
        return obj if self.region_path == "pk" else obj.region

    def _keep_working_copy(self, request, form, formsets):
        obj = self.model._default_manager.get(pk=form.instance.pk)  # as published, not as edited
        data, fields = self._stored_data(request, form, formsets)
        revision = (
            Revision.objects.for_object(obj)
            .open()
            .filter(kind=Revision.Kind.CHANGE)
            .select_for_update()
            .first()
        )
        if revision is not None and self._replaces(form, revision):
            self._keep_replaced(request, obj, revision, form)
            revision = None  # this save starts a copy of its own
        if revision is None:
            revision = Revision(
                content_type_id=self._content_type_id(),
                object_id=obj.pk,
                kind=Revision.Kind.CHANGE,
                created_by=request.user,
            )
        revision.object_repr = str(obj)[:300]
        revision.region = self._region_of(obj)
        revision.data, revision.form_fields = data, fields
        revision.updated_by = request.user
        revision.lock += 1
        submitted = SUBMIT_BUTTON in request.POST
        if submitted:
            revision.state = Revision.State.SUBMITTED
            revision.submitted_at, revision.submitted_by = timezone.now(), request.user
        elif revision.state == Revision.State.SENT_BACK:
            pass  # still sent back until it is submitted again
        else:
            revision.state = revision.state if revision.pk else Revision.State.DRAFT
        revision.save()
        if not submitted:
            ReviewEvent.objects.create(revision=revision, action=ReviewEvent.Action.SAVED, user=request.user)
        else:
            ReviewEvent.objects.create(
                revision=revision, action=ReviewEvent.Action.SUBMITTED, user=request.user
            )
            notifications.on_commit_submitted(revision)
        request._portal_saved_revision = revision
        self._forget_revisions(request)

    def _keep_replaced(self, request, obj, revision, form):
        """Close the working copy that this save deliberately replaces, with its data and its timeline, so
        that it can be read and reopened; the replacing save starts a copy of its own."""
        request._portal_changes_snapshot = self._changes_of(
            request, obj, self.working_data(request, obj, revision, type(form))
        )
        self._close(request, revision, Revision.State.WITHDRAWN, ReviewEvent.Action.REPLACED)
        request._portal_changes_snapshot = None

    def _content_type_id(self):
        return ContentType.objects.get_for_model(self.model).pk

    def _new_request(self, request, obj, kind, action, comment=""):
        """A request that an editor decides (to publish a record, or to delete it), submitted at once."""
        revision = Revision.objects.create(
            content_type_id=self._content_type_id(),
            object_id=obj.pk,
            object_repr=str(obj)[:300],
            region=self._region_of(obj),
            kind=kind,
            state=Revision.State.SUBMITTED,
            created_by=request.user,
            updated_by=request.user,
            submitted_by=request.user,
            submitted_at=timezone.now(),
        )
        ReviewEvent.objects.create(revision=revision, action=action, user=request.user, comment=comment)
        notifications.on_commit_submitted(revision)
        return revision

    def _request_publication(self, request, obj):
        if self.open_revision(request, obj, Revision.Kind.PUBLISH) is not None:
            return
        revision = self._new_request(request, obj, Revision.Kind.PUBLISH, ReviewEvent.Action.SUBMITTED)
        request._portal_saved_revision = revision
        self._forget_revisions(request)

    def _close(self, request, revision, state, action):
        revision.state = state
        revision.changes = getattr(request, "_portal_changes_snapshot", None)
        revision.save(update_fields=["state", "changes", "updated_at"])
        request._portal_closed_revision = revision
        event = ReviewEvent.objects.create(
            revision=revision,
            action=action,
            user=request.user,
            comment=getattr(request, "_portal_review_comment", ""),
        )
        author_id = revision.submitted_by_id or revision.created_by_id
        if author_id and author_id != request.user.pk:
            notifications.on_commit_decided(revision, event)
        self._forget_revisions(request)

    def construct_change_message(self, request, form, formsets, add=False):
        if self.saves_working_copy(request):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if self.saves_working_copy(request):
            return None  # nothing changed on the record; the review events say what was done
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        revision = getattr(request, "_portal_saved_revision", None)
        if revision is None:
            closed = getattr(request, "_portal_closed_revision", None)
            if closed is not None and closed.state == Revision.State.PUBLISHED:
                self.message_user(request, _("Arbetskopian är publicerad."), messages.SUCCESS)
            elif self.edits_published_copy(request) and self.open_revision(request, obj) is not None:
                self.message_user(
                    request,
                    _(
                        "Den publicerade versionen är ändrad. Arbetskopian finns kvar och tar in din ändring "
                        "när den öppnas."
                    ),
                    messages.SUCCESS,
                )
            return super().response_change(request, obj)
        if revision.kind == Revision.Kind.CHANGE and revision.state != Revision.State.SUBMITTED:
            self.message_user(
                request,
                _("Arbetskopian är sparad. Den publicerade sidan är oförändrad tills ändringen publiceras."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            _(
                "Skickat för granskning. Redaktörerna har fått besked; den publicerade sidan är oförändrad "
                "tills en redaktör har godkänt ändringen."
            )
            if revision.kind == Revision.Kind.CHANGE
            else _(
                "Sparat. Det syns på webbplatsen när en redaktör har godkänt det; redaktörerna har fått "
                "besked."
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:editorial_revision_change", args=[revision.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_portal_saved_revision", None) is not None:
            return self.response_change(request, obj)
        return super().response_add(request, obj, post_url_continue)

    # --- Publishing a working copy without the change form (the review queue, the preview) ---------------

    def publish_working_copy(self, request, obj, revision) -> list[str]:
        """Apply the working copy to the record as this user's change form would, in the caller's
        transaction. Returns the problems that stop it (a conflict, a validation error): nothing written."""
        request._portal_mode, request._portal_approving = "publish", True
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=True, fields=flatten_fieldsets(fieldsets))
        data = self.working_data(request, obj, revision, form_class)
        form = form_class(data, instance=obj)
        request._portal_bind_data, request._portal_bind_always = data, True
        try:
            formsets, _inlines = self._create_formsets(request, form.instance, change=True)
        finally:
            request._portal_bind_always = False
        valid = form.is_valid()
        if not (all_valid(formsets) and valid):
            return self._problems(form, formsets)
        lost = [(what, typed) for formset in formsets for what, typed in formset.vanished() if typed]
        if lost:
            return [
                _(
                    "”%(what)s” finns inte längre i den publicerade versionen, men arbetskopian ändrar den "
                    "(%(typed)s). Skicka tillbaka, eller lägg in ändringen i arbetskopian på nytt."
                )
                % {"what": what, "typed": "; ".join(typed)}
                for what, typed in lost
            ]
        request._portal_change_reason = _(
            "Publicerad efter granskning (ändringen skickades in av %(who)s)"
        ) % {
            "who": revision.submitted_by or revision.updated_by or _("okänd"),
        }
        new_object = self.save_form(request, form, change=True)
        self.save_model(request, new_object, form, True)
        self.save_related(request, form, formsets, True)
        self.log_change(request, new_object, self.construct_change_message(request, form, formsets, False))
        return []

    def merged_working_data(self, request, obj, revision) -> QueryDict:
        """The working copy as publishing it would save it: merged with what changed in the published copy
        since (editorial/conflicts.py), so that a review compares like with like. In a transaction."""
        form_class = self.get_form(
            request, obj, change=True, fields=flatten_fieldsets(self.get_fieldsets(request, obj))
        )
        data = self.working_data(request, obj, revision, form_class)
        # Validating a form writes its values into its instance: a copy, so that `obj` stays as published.
        form = form_class(data, instance=type(obj)._default_manager.get(pk=obj.pk))
        request._portal_bind_data, request._portal_bind_always = data, True
        try:
            formsets, _inlines = self._create_formsets(request, form.instance, change=True)
        finally:
            request._portal_bind_always = False
        form.is_valid()
        all_valid(formsets)
        merged, _fields = self._stored_data_from(data, form, formsets)
        result = QueryDict(mutable=True)
        for key, values in merged.items():
            result.setlist(key, values)
        return result

    @staticmethod
    def _problems(form, formsets) -> list[str]:
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems += [f"{label}: {error}" if label else error for error in errors]
        for formset in formsets:
            problems += list(formset.non_form_errors())
            for inline_form in formset.forms:
                for name, errors in inline_form.errors.items():
                    label = inline_form.fields[name].label if name in inline_form.fields else ""
                    problems += [f"{inline_form.instance}: {label}: {e}" for e in errors]
        return problems

    def publish_request(self, request, obj, revision):
        """Approve a request to publish a record that is not public yet."""
        name, public, _hidden = self.publish_field
        setattr(obj, name, public)
        obj._change_reason = _("Publicerad efter granskning (begärd av %(who)s)") % {
            "who": revision.submitted_by or _("okänd"),
        }
        obj.save()
        self.log_change(
            request, obj, [{"changed": {"fields": [str(obj._meta.get_field(name).verbose_name)]}}]
        )

    # --- Deleting: a request where the user may not publish ------------------------------------------------

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not may_publish(request.user):
            actions.pop("delete_selected", None)  # one record at a time, each a request
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None or may_publish(request.user) or not self.is_live(obj):
            return super().delete_view(request, object_id, extra_context)
        if not self.has_delete_permission(request, obj):
            return super().delete_view(request, object_id, extra_context)
        if request.method == "POST":
            with transaction.atomic():
                self.model._default_manager.select_for_update().filter(pk=obj.pk).first()
                revision = self.open_revision(request, obj, Revision.Kind.DELETE)
                if revision is None:
                    revision = self._new_request(
                        request,
                        obj,
                        Revision.Kind.DELETE,
                        ReviewEvent.Action.DELETE_REQUESTED,
                        comment=request.POST.get("comment", "")[:4000],
                    )
            self.message_user(
                request,
                _("”%(obj)s” är inte borttagen: en redaktör tar ställning till din begäran.") % {"obj": obj},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:editorial_revision_change", args=[revision.pk]))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Begär att %(obj)s tas bort") % {"obj": obj},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "pending": self.open_revision(request, obj, Revision.Kind.DELETE),
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/deletion_request.html", context)
