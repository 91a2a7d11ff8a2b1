"""Conflict-safe editing in the admin: nobody's save silently overwrites somebody else's.

Every change form, and every inline form of an existing activity or link, carries the version its editor
loaded (the object's latest history record, `loaded_version`). On save the row is locked, and if somebody
saved in between, the form is merged three ways against the version the editor loaded:

- a field only the other person changed keeps their value;
- a field only this editor changed takes this editor's value;
- a field both changed, to different values, is a conflict: the save is refused, both values are shown
  side by side on the field, and the form that comes back holds the other person's saved values for
  everything this editor did not touch, and this editor's own input where they did. It now carries the
  new version, so saving again is a deliberate choice.

A merge without conflicts saves, and the admin says whose changes were kept (ConflictSafeAdminMixin).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

VERSION_FIELD = "loaded_version"


def current_version(instance) -> str:
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def locked(queryset):
    """`queryset` locking its rows until the transaction ends: the admin saves inside one, so the row
    stays as read until the save is done. Outside a transaction (a change form opened with a working copy
    bound to it, editorial/moderation.py) it reads without a lock."""
    if transaction.get_connection(queryset.db).in_atomic_block:
        return queryset.select_for_update(of=("self",))
    return queryset


def admin_time(moment) -> str:
    """A moment as the admin shows it: in the site's time zone (Europe/Stockholm), not UTC."""
    return formats.date_format(timezone.localtime(moment), "j F Y H:i")


def comparable(model_field, value):
    """A field's value in one form for comparing: a key for a relation, a set of keys for many-to-many."""
    if isinstance(model_field, models.ManyToManyField):
        return frozenset(getattr(item, "pk", item) for item in (value or []))
    if isinstance(model_field, models.ForeignKey):
        return getattr(value, "pk", value)
    if value is None and model_field.empty_strings_allowed and not model_field.null:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")  # rows saved before line endings were normalised
    return value


def value_in_record(record, model_field):
    """A field's value in a historical record, or in the live row. Many-to-many fields that the history
    does not keep give None ("not recorded")."""
    if isinstance(model_field, models.ManyToManyField):
        if hasattr(record, "history_id"):
            if model_field.name not in {f.name for f in getattr(record, "_history_m2m_fields", [])}:
                return None
            column = model_field.m2m_reverse_field_name()
            return frozenset(getattr(record, model_field.name).values_list(column, flat=True))
        return frozenset(getattr(record, model_field.name).values_list("pk", flat=True))
    return comparable(model_field, getattr(record, model_field.attname))


def display_value(model_field, value) -> str:
    """A comparable value as a person reads it, whole: a conflict or a restore must show every word."""
    if value is None or value == "":
        return _("(tomt)")
    if isinstance(model_field, models.ManyToManyField):
        names = model_field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(map(str, names))) or _("(inga)")
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    return str(value)


def put_value(data, key, field, value):
    """Put a comparable value into form data (a mutable QueryDict) as `field`'s widget would send it."""
    if isinstance(field.widget, forms.CheckboxInput):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, frozenset):
        data.setlist(key, [str(v) for v in sorted(value)])
    else:
        data[key] = "" if value is None else str(value)


class ConflictSafeModelForm(forms.ModelForm):
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, known_versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.merged = []  # (field label, who) for fields whose other person's value was kept
        if self.instance.pk:
            # An inline's formset looks up all its rows' versions in one query (known_versions).
            known = (known_versions or {}).get(self.instance.pk)
            self.fields[VERSION_FIELD].initial = str(known) if known else current_version(self.instance)

    @cached_property
    def changed_data(self):
        # A text sent back with the browser's CRLF line breaks, and otherwise as it was, is unchanged.
        changed = []
        for name in super().changed_data:
            field = self.fields[name]
            sent = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if isinstance(sent, str) and "\r\n" in sent:
                initial = self.get_initial_for_field(field, name)
                if not field.has_changed(initial, sent.replace("\r\n", "\n")):
                    continue
            changed.append(name)
        return changed

    def _content_fields(self):
        """The form's fields that are the model's own: what a merge compares."""
        opts = self.instance._meta
        result = []
        for name in self.fields:
            try:
                model_field = opts.get_field(name)
            except FieldDoesNotExist:
                continue  # the version field, an inline's DELETE box
            if model_field.primary_key or model_field.auto_created:
                continue
            result.append((name, model_field))
        return result

    def clean(self):
        cleaned = super().clean()
        # Browsers send a textarea's line breaks as CRLF; the seed and the import write LF. Stored as LF,
        # an untouched text stays byte for byte what it was, and is no "change" to merge or to record.
        for name, value in cleaned.items():
            if isinstance(value, str) and "\r\n" in value:
                cleaned[name] = value.replace("\r\n", "\n")
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        current = locked(model._default_manager.filter(pk=self.instance.pk)).first()
        if current is None:
            return cleaned  # deleted meanwhile: the formset or the admin says so
        now = current_version(current)
        loaded = cleaned.get(VERSION_FIELD, "")
        if loaded == now:
            return cleaned
        base = current.history.filter(history_id=loaded).first() if loaded.isdigit() else None
        if base is None:
            self._refresh_version(now)
            raise ValidationError(
                _("Formuläret saknade uppgift om vilken version du utgick från; ladda om sidan.")
            )
        return self._merge(cleaned, base, current, now)

    def _refresh_version(self, now):
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = now

    def _merge(self, cleaned, base, current, now):
        newer = current.history.filter(history_id__gt=base.history_id)
        people = sorted({str(record.history_user or _("okänd")) for record in newer})
        latest = newer.order_by("-history_id").first()
        who = _("%(who)s, %(when)s") % {"who": ", ".join(people), "when": admin_time(latest.history_date)}
        self._refresh_version(now)
        conflicts = []
        for name, model_field in self._content_fields():
            if name not in cleaned:
                continue  # the field has an error of its own
            theirs, original = value_in_record(current, model_field), value_in_record(base, model_field)
            if original is None or theirs == original:
                continue  # nobody else changed it: this editor's value stands
            mine = comparable(model_field, cleaned[name])
            if mine == theirs:
                continue
            if mine == original:
                # Only the other person changed it: keep their value, on the form and in the save.
                field = self.fields[name]
                put_value(self.data, self.add_prefix(name), field, theirs)
                cleaned[name] = field.clean(
                    field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                )
                self.merged.append((model_field.verbose_name, who))
                continue
            conflicts.append((name, model_field, theirs))
        if not conflicts:
            return cleaned
        for name, model_field, theirs in conflicts:
            self.add_error(
                name,
                _("Ändrat av %(who)s till: ”%(theirs)s”. Ditt värde står kvar i fältet.")
                % {"who": who, "theirs": display_value(model_field, theirs)},
            )
        raise ValidationError(
            _(
                "Någon annan har sparat det här medan du redigerade (%(who)s). Deras ändringar är inlagda "
                "i formuläret, utom i %(fields)s, som ni båda har ändrat: välj vilket värde som ska gälla "
                "och spara igen. Inget är sparat ännu."
            )
            % {"who": who, "fields": ", ".join(f"”{f.verbose_name}”" for _n, f, _t in conflicts)}
        )


class ConflictSafeInlineFormSet(BaseInlineFormSet):
    """An activity or link that somebody deleted, or moved elsewhere, while this form was open is left out
    of the save instead of blocking it with an error on a hidden field, and the editor is told, with what
    they had typed into it (`vanished`)."""

    @cached_property
    def _versions(self):
        """Each existing row's latest version, in one query instead of one per inline form."""
        rows = self.model.history.filter(id__in=self.get_queryset().values("pk"))
        return dict(rows.values_list("id").annotate(latest=models.Max("history_id")))

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs["known_versions"] = self._versions
        return kwargs

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.vanished = False
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            form.vanished = True
            form.empty_permitted = True  # not validated, and not saved: it has no row any more
            form.has_changed = lambda: False
        return form

    def clean(self):
        super().clean()
        # A row that is gone is one this parent had: a key the browser sends that never belonged here (a
        # crafted form) is refused, not kept in a working copy or reported as "deleted meanwhile".
        for form in self.initial_forms:
            if not getattr(form, "vanished", False):
                continue
            sent = form.data.get(form.add_prefix(self.model._meta.pk.name), "")
            ours = self.model.history.filter(**{self.fk.attname: self.instance.pk}, id=sent)
            if not str(sent).isdigit() or not ours.exists():
                raise ValidationError(_("En rad i formuläret hör inte till det här. Ladda om sidan."))
        # Radera on a row that somebody changed after this form was loaded: their edit would go unseen.
        changed_meanwhile = []
        for form in self.forms:
            if getattr(form, "vanished", False) or not self._should_delete_form(form) or not form.instance.pk:
                continue
            loaded = form.cleaned_data.get(VERSION_FIELD, "")  # as sent; a merge refreshes the form's data
            now = current_version(form.instance)
            if loaded != now:
                latest = form.instance.history.order_by("-history_id").first()
                changed_meanwhile.append((form, latest, now))
        if not changed_meanwhile:
            return
        for form, _latest, now in changed_meanwhile:
            form.data = form.data.copy()
            form.data[form.add_prefix(VERSION_FIELD)] = now  # deleting again is then deliberate
        raise ValidationError(
            [
                _(
                    "”%(what)s” ändrades av %(who)s (%(when)s) medan du redigerade och är inte borttagen. "
                    "Den lyder nu: %(text)s. Spara igen om du ändå vill ta bort den."
                )
                % {
                    "what": form.instance,
                    "who": latest.history_user or _("okänd"),
                    "when": admin_time(latest.history_date),
                    "text": "; ".join(
                        f"{f.verbose_name}: ”{display_value(f, value_in_record(latest, f))}”"
                        for f in self.model._meta.concrete_fields
                        if f.name in form.fields and not f.is_relation and not f.primary_key
                    ),
                }
                for form, latest, _now in changed_meanwhile
            ]
        )

    def vanished(self):
        """(what it was, what this editor had changed in it) for each row that is gone."""
        reports = []
        for form in self.initial_forms:
            if not getattr(form, "vanished", False):
                continue
            loaded = form.data.get(form.add_prefix(VERSION_FIELD), "")
            # Only a version of one of this parent's own rows: the form's data is the browser's, and
            # a crafted version number must not show another record's text.
            own = self.model.history.filter(**{self.fk.attname: self.instance.pk})
            record = own.filter(history_id=loaded).first() if loaded.isdigit() else None
            typed = []
            for name, field in form.fields.items():
                if name in {VERSION_FIELD, "id", "DELETE"} or record is None:
                    continue
                try:
                    model_field = self.model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                sent = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
                if isinstance(sent, str) and sent.replace("\r\n", "\n") != str(
                    value_in_record(record, model_field) or ""
                ):
                    typed.append(f"{model_field.verbose_name}: ”{sent}”")
            reports.append((str(record.instance) if record else _("en rad"), typed))
        return reports


class ConflictSafeInlineMixin:
    """For inlines: each existing activity or link carries its own version and is merged the same way."""

    form = ConflictSafeModelForm
    formset = ConflictSafeInlineFormSet

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), VERSION_FIELD]


class ConflictSafeAdminMixin:
    form = ConflictSafeModelForm
    # Renders the form's loaded_version whatever the admin's fieldsets are (RegionAdmin builds its own).
    change_form_template = "admin/conflict_safe_change_form.html"

    def get_fields(self, request, obj=None):
        # The version is a declared field of the form; the change form template renders it, once.
        return [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]

    def _create_formsets(self, request, obj, change):
        # Kept for save_model, which Django does not hand the formsets: a save that changes only an
        # activity or a link is a version of the parent too (the restore's timeline depends on it).
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        request._portal_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request, obj, form, change):
        formsets = getattr(request, "_portal_formsets", [])
        if change and not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            # Spara with nothing changed: no empty version in the history.
            obj.skip_history_when_saving = True
            try:
                return super().save_model(request, obj, form, change)
            finally:
                del obj.skip_history_when_saving
        return super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.report_merges(request, form, formsets)

    def report_merges(self, request, form, formsets):
        """Tell the editor what the save left out (rows gone meanwhile) and whose changes it kept."""
        for formset in formsets:
            for what, typed in getattr(formset, "vanished", list)():
                self.message_user(
                    request,
                    _("”%(what)s” togs bort eller flyttades av någon annan medan du redigerade.")
                    % {"what": what}
                    + (
                        " "
                        + _("Det du hade skrivit i den sparades inte: %(typed)s")
                        % {"typed": "; ".join(typed)}
                        if typed
                        else ""
                    ),
                    messages.WARNING,
                )
        merged = list(getattr(form, "merged", []))
        for formset in formsets:
            for inline_form in formset.forms:
                if inline_form in formset.deleted_forms:
                    continue
                merged += [
                    (f"{inline_form.instance._meta.verbose_name} ”{inline_form.instance}”: {label}", who)
                    for label, who in getattr(inline_form, "merged", [])
                ]
        if merged:
            self.message_user(
                request,
                _("Någon annan sparade medan du redigerade. Deras ändringar är kvar i: %(fields)s (%(who)s).")
                % {"fields": ", ".join(str(label) for label, _who in merged), "who": merged[0][1]},
                messages.WARNING,
            )
