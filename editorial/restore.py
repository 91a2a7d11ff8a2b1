"""Restoring an earlier version from the history, under the same rules as an ordinary save.

Replaces django-simple-history's revert form (its `history_form_view`), which wrote the whole historical
row back, checked the user against the version instead of the object, and ran outside a transaction.
Here, restoring
- finds the object through the admin's own scoped queryset, as it is now: another region's object, or one
  that has been moved to another region since, "does not exist" for a coordinator;
- shows, in Swedish, what would change: the fields this user may edit on the change form, and the
  activities and links (the inlines) as they were while the version was current;
- on "Återställ", locks the row in a transaction, refuses if somebody saved since the page was opened,
  puts the version's values only into the fields this user's change form has (never read-only fields,
  never the status where publishing is the editors'), and runs the change form's own validation;
- restores the inlines with it: changed ones back, deleted ones recreated, later ones removed;
- records one version with the reason "Återställd till versionen från …", and logs it in the admin log.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.forms.models import _get_foreign_key
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .conflicts import (
    VERSION_FIELD,
    admin_time,
    current_version,
    display_value,
    put_value,
    value_in_record,
)
from .diff import record_changes
from .models import ReviewEvent
from .permissions import may_publish

# Form fields of an inline form that are not the child's content.
NOT_CONTENT = {"id", "DELETE", VERSION_FIELD}


def _latest_of_each(records):
    latest = {}
    for record in records.order_by("history_date", "history_id"):
        latest[record.id] = record
    return {pk: record for pk, record in latest.items() if record.history_type != "-"}


class RestoreVersionAdminMixin:
    restore_template = "admin/restore_version.html"

    # --- What the version holds -------------------------------------------------------------------

    def _restorable_fields(self, request, obj):
        form_class = self.get_form(request, obj, change=True)
        opts = self.model._meta
        fields = []
        for name in form_class.base_fields:
            try:
                fields.append((name, opts.get_field(name)))
            except FieldDoesNotExist:
                continue  # the version the form was loaded from, the working copy's token
        return form_class, fields

    @staticmethod
    def _may_choose(form_field, value) -> bool:
        """Whether this user's form offers `value` (a region, say: a coordinator chooses only theirs)."""
        queryset = getattr(form_field, "queryset", None)
        if queryset is None or value in (None, ""):
            return True
        wanted = set(value) if isinstance(value, frozenset) else {value}
        return queryset.filter(pk__in=wanted).count() == len(wanted)

    def _version_value(self, form_class, name, model_field, version, obj):
        """What restoring puts into a field: the version's value, or the current one where the history
        does not keep it or the user may not choose it."""
        old = value_in_record(version, model_field)
        if old is None or not self._may_choose(form_class.base_fields[name], old):
            return value_in_record(obj, model_field)
        return old

    def _field_rows(self, request, obj, version):
        """(label, now, in the version) for the fields that differ, and the labels of fields that differ
        but that this user cannot restore (read-only for them, or a choice they may not make)."""
        form_class, fields = self._restorable_fields(request, obj)
        restorable, rows = set(), []
        for name, model_field in fields:
            old = value_in_record(version, model_field)
            if old is None or not self._may_choose(form_class.base_fields[name], old):
                continue  # not kept in the history (a region's coordinators), or not this user's choice
            restorable.add(name)
            now = value_in_record(obj, model_field)
            if old != now:
                rows.append(
                    (
                        model_field.verbose_name,
                        display_value(model_field, now),
                        display_value(model_field, old),
                    )
                )
        kept = []
        for model_field in self.model._meta.concrete_fields:
            if model_field.name in restorable or not model_field.editable or model_field.primary_key:
                continue
            if model_field.name in {"created_at", "updated_at"}:
                continue
            if value_in_record(version, model_field) != value_in_record(obj, model_field):
                kept.append(model_field.verbose_name)
        return form_class, fields, rows, kept

    def _cutoff(self, obj, version):
        """The version is what the object was until the next version was saved (its inlines are saved
        just after it, in the same request)."""
        later = obj.history.filter(history_id__gt=version.history_id).order_by("history_id").first()
        return later.history_date if later else None

    def _inline_plans(self, request, obj, version):
        """For each inline: the children as they were while the version was current, and as they are."""
        cutoff = self._cutoff(obj, version)
        plans = []
        for inline in self.get_inline_instances(request, obj):
            if not getattr(inline.model, "history", None):
                continue
            fk = _get_foreign_key(self.model, inline.model, inline.fk_name)
            form = inline.get_formset(request, obj).form
            names = [n for n in form.base_fields if n not in NOT_CONTENT and n != fk.name]
            model_fields = [inline.model._meta.get_field(n) for n in names]
            records = inline.model.history.filter(
                **{fk.attname: obj.pk}, **getattr(inline, "restore_filter", {})
            )
            if cutoff is not None:
                records = records.filter(history_date__lt=cutoff)
            then = _latest_of_each(records)
            now = {child.pk: child for child in inline.get_queryset(request).filter(**{fk.name: obj})}
            changes = []
            for pk, record in then.items():
                child = now.get(pk)
                if child is None:
                    # Gone from here: recreate it only if it is gone everywhere. A row that now belongs
                    # elsewhere (another region's, say) is never taken back.
                    elsewhere = inline.model._default_manager.filter(pk=pk).first()
                    changes.append(
                        ("elsewhere", record, elsewhere) if elsewhere else ("create", record, None)
                    )
                elif differing := [
                    f for f in model_fields if value_in_record(record, f) != value_in_record(child, f)
                ]:
                    changes.append(("update", record, child, differing))
            for pk, child in now.items():
                if pk in then:
                    continue
                # Not here in the version. Removed only if it was made here after the version; a row that
                # has been somewhere else (moved here from an insatsområde, say) stays.
                history = inline.model.history.filter(id=pk)
                elsewhere_once = history.exclude(
                    **{fk.attname: obj.pk, **getattr(inline, "restore_filter", {})}
                ).exists()
                existed = cutoff is not None and history.filter(history_date__lt=cutoff).exists()
                changes.append(
                    ("moved-here", None, child) if elsewhere_once or existed else ("delete", None, child)
                )
            if changes:
                plans.append({"inline": inline, "fk": fk, "fields": model_fields, "changes": changes})
        return plans

    # --- The views --------------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        # Another region's object, a missing one and an address that is no key all "do not exist", as on
        # the change page (django-simple-history's own view would be a 403, a 404 or a 500).
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        events = ReviewEvent.objects.filter(
            revision__content_type=ContentType.objects.get_for_model(self.model),
            revision__object_id=obj.pk,
        ).select_related("user", "revision")
        request._portal_history_of = obj
        context = {
            "review_events": events.order_by("-at", "-pk"),
            "may_restore": self.has_change_permission(request, obj)
            and (may_publish(request.user) or not self.is_live(obj)),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def set_history_delta_changes(self, request, page_obj, **kwargs):
        # One object's versions, newest first: each row's previous version is the next row, and the last
        # row's is one query away (the history's own prev_record is one query per row). The rows' word
        # diffs and "återställ till före den här ändringen" compare against it.
        records = list(page_obj.object_list)
        for record, older in zip(records, records[1:], strict=False):
            record.previous_version = older
        if records:
            last = records[-1]
            last.previous_version = (
                type(last)
                .objects.filter(id=last.id, history_id__lt=last.history_id)
                .order_by("-history_id")
                .first()
            )
        obj = getattr(request, "_portal_history_of", None)
        if records and obj is not None:
            self._attach_child_changes(request, obj, records)

    def _attach_child_changes(self, request, obj, records):
        """Each version's changes to its activities and links (saved in the same request, just after it),
        as lines for its row: the restore counts the same children to the same version (_cutoff)."""
        for record in records:
            record.child_changes = []
        newer = obj.history.filter(history_id__gt=records[0].history_id).order_by("history_id").first()
        oldest = records[-1].history_date
        for inline in self.get_inline_instances(request, obj):
            if not getattr(inline.model, "history", None):
                continue
            fk = _get_foreign_key(self.model, inline.model, inline.fk_name)
            children = inline.model.history.filter(
                **{fk.attname: obj.pk}, **getattr(inline, "restore_filter", {}), history_date__gte=oldest
            )
            if newer is not None:
                children = children.filter(history_date__lt=newer.history_date)
            before = {}  # each row's version just before, from the rows read here where it is among them
            for child in children.order_by("history_date", "history_id"):
                previous, before[child.id] = before.get(child.id), child
                owner = next((r for r in records if r.history_date <= child.history_date), None)
                if owner is None or owner.history_type == "+":
                    continue  # a new record's rows are new with it
                label = inline.model._meta.verbose_name
                if child.history_type == "+":
                    line = _("Ny %(kind)s: ”%(what)s”") % {"kind": label, "what": child.instance}
                elif child.history_type == "-":
                    line = _("Borttagen %(kind)s: ”%(what)s”") % {"kind": label, "what": child.instance}
                else:
                    fields = [row["label"] for row in record_changes(child, previous or child.prev_record)]
                    if not fields:
                        continue
                    line = _("Ändrad %(kind)s ”%(what)s”: %(fields)s") % {
                        "kind": label,
                        "what": child.instance,
                        "fields": ", ".join(fields),
                    }
                owner.child_changes.append(line)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404
        version = obj.history.filter(history_id=version_id).first()
        if version is None:
            raise Http404
        # Restoring writes the published copy: where the user's changes are reviewed, an editor restores.
        may_restore = self.has_change_permission(request, obj) and (
            may_publish(request.user) or not self.is_live(obj)
        )
        problems = []
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    done = self._restore(request, obj, version, problems)
            except ValidationError as exc:
                problems += [
                    _("En aktivitet eller länk i versionen går inte att spara nu: %(error)s")
                    % {"error": " ".join(exc.messages)}
                ]
                done = False
            except IntegrityError:
                problems.append(
                    _(
                        "Versionen går inte att återställa som den är, eftersom den krockar med hur "
                        "aktiviteterna eller länkarna är numrerade nu. Inget är ändrat."
                    )
                )
                done = False
            if done:
                self.message_user(
                    request,
                    _("Versionen från %(when)s är återställd.") % {"when": admin_time(version.history_date)},
                    messages.SUCCESS,
                )
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
            obj = self.get_object(request, unquote(object_id)) or obj
        _form, _fields, rows, kept = self._field_rows(request, obj, version)
        plans = self._inline_plans(request, obj, version)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Återställ en tidigare version av %(object)s") % {"object": obj},
            "subtitle": None,
            "opts": opts,
            "object": obj,
            "version": version,
            "version_time": admin_time(version.history_date),
            "version_user": version.history_user,
            "rows": rows,
            "kept": kept,
            "inline_changes": [
                {
                    "name": plan["inline"].verbose_name_plural,
                    "changes": [self._describe_child(*change) for change in plan["changes"]],
                }
                for plan in plans
            ],
            "may_restore": may_restore,
            "may_change": self.has_change_permission(request, obj),
            "loaded_version": current_version(obj),
            "problems": problems,
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context)

    @staticmethod
    def _describe_child(kind, record, child, differing=()):
        if kind == "create":
            return _("”%(child)s” återskapas") % {"child": record.instance}
        if kind == "elsewhere":
            return _("”%(child)s” hör nu till %(where)s och lämnas där") % {
                "child": record.instance,
                "where": child.region if hasattr(child, "region") else _("ett annat ställe"),
            }
        if kind == "moved-here":
            return _(
                "”%(child)s” lämnas kvar: den fanns på ett annat ställe i versionen och flyttades hit sedan"
            ) % {"child": child}
        if kind == "delete":
            return _("”%(child)s” tas bort (den fanns inte i versionen)") % {"child": child}
        return _("”%(child)s” blir som i versionen: %(fields)s") % {
            "child": child,
            "fields": "; ".join(
                f"{f.verbose_name} ”{display_value(f, value_in_record(child, f))}” → "
                f"”{display_value(f, value_in_record(record, f))}”"
                for f in differing
            ),
        }

    def _restore(self, request, obj, version, problems) -> bool:
        """Restore inside the caller's transaction; False, with `problems`, if nothing may be written."""
        locked = self.model._default_manager.select_for_update().filter(pk=obj.pk).first()
        if locked is None or self.get_object(request, str(obj.pk)) is None:
            raise Http404
        if request.POST.get(VERSION_FIELD, "") != current_version(locked):
            problems.append(
                _(
                    "Någon har sparat en ny version medan du jämförde. Inget är återställt: jämför igen "
                    "nedan och återställ om du fortfarande vill det."
                )
            )
            return False
        form_class, fields = self._restorable_fields(request, locked)
        data = QueryDict(mutable=True)
        for name, model_field in fields:
            value = self._version_value(form_class, name, model_field, version, locked)
            put_value(data, name, form_class.base_fields[name], value)
        data[VERSION_FIELD] = current_version(locked)
        if "working_copy" in form_class.base_fields:  # a restore leaves the working copy as it is
            data["working_copy"] = form_class.base_fields["working_copy"].initial
        form = form_class(data, instance=locked)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = (
                    self.model._meta.get_field(field).verbose_name
                    if field in form.fields and field != "__all__"
                    else ""
                )
                problems += [f"{label}: {error}" if label else error for error in errors]
            return False
        reason = _("Återställd till versionen från %(when)s") % {"when": admin_time(version.history_date)}
        restored = self.save_form(request, form, change=True)
        restored._change_reason = reason
        self.save_model(request, restored, form, change=True)
        form.save_m2m()
        for plan in self._inline_plans(request, restored, version):
            self._restore_children(request, restored, plan, reason)
        self.log_change(request, restored, reason)
        return True

    def _restore_children(self, request, parent, plan, reason):
        inline, fk = plan["inline"], plan["fk"]
        for kind, record, child, *_differing in sorted(
            plan["changes"], key=lambda change: change[0] != "delete"
        ):
            if kind in {"elsewhere", "moved-here"}:
                continue  # described on the page, left as it is
            if kind == "delete":
                if not inline.has_delete_permission(request, parent):
                    continue
                child._history_user, child._change_reason = request.user, reason
                child.delete()
                continue
            if kind == "create":
                if not inline.has_add_permission(request, parent):
                    continue
                child = record.instance  # every field as it was, its key included
                setattr(child, fk.name, parent)
            else:
                if not inline.has_change_permission(request, parent):
                    continue
                for model_field in plan["fields"]:
                    setattr(child, model_field.attname, getattr(record, model_field.attname))
            if hasattr(child, "region_id") and hasattr(parent, "region_id") and fk.name != "region":
                child.region_id = parent.region_id  # a focus area's link belongs to its region
            child._history_user, child._change_reason = request.user, reason
            child.full_clean(validate_unique=False, validate_constraints=False)
            child.save()
