"""Conflict-safe editing in the admin: nobody's save silently overwrites somebody else's.

The change form carries the version the editor loaded (the object's latest history record). On save, the
row is locked and the version compared: if somebody saved in between, the save is refused with a message
saying who changed which fields from what to what. The editor's own input stays on the form to merge,
and the form now carries the new version, so saving again is a deliberate choice.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VERSION_FIELD = "loaded_version"


def current_version(instance) -> str:
    latest = instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def _short(value, length=80) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= length else text[:length] + "…"


def describe_changes(instance, since: str, until: str) -> list[str]:
    if not (since.isdigit() and until.isdigit()):
        return [_("Formuläret saknade uppgift om vilken version du utgick från; ladda om sidan.")]
    history = instance.history.all()
    old, new = history.filter(history_id=since).first(), history.filter(history_id=until).first()
    if old is None or new is None:
        return []
    people = sorted(
        {
            str(record.history_user or _("okänd"))
            for record in history.filter(history_id__gt=since, history_id__lte=until)
        }
    )
    lines = [
        _("Ändrat av %(who)s, senast %(when)s.")
        % {"who": ", ".join(people), "when": new.history_date.strftime("%Y-%m-%d %H:%M")}
    ]
    for change in new.diff_against(old).changes:
        label = instance._meta.get_field(change.field).verbose_name
        lines.append(f"{label}: ”{_short(change.old)}” → ”{_short(change.new)}”")
    return lines


class ConflictSafeModelForm(forms.ModelForm):
    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[VERSION_FIELD].initial = current_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # The admin saves inside a transaction; locking the row here keeps it until the save is done.
        type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk).exists()
        now = current_version(self.instance)
        loaded = cleaned.get(VERSION_FIELD, "")
        if loaded != now:
            changes = describe_changes(self.instance, loaded, now)
            self.data = self.data.copy()
            self.data[self.add_prefix(VERSION_FIELD)] = now
            raise ValidationError(
                [
                    _(
                        "Någon annan har sparat det här medan du redigerade, så dina ändringar är inte "
                        "sparade. "
                        "De finns kvar i formuläret: jämför med ändringarna nedan och spara igen."
                    )
                ]
                + changes
            )
        return cleaned


class ConflictSafeAdminMixin:
    form = ConflictSafeModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first_name, first_options = fieldsets[0]
        first = (first_name, {**first_options, "fields": [*first_options["fields"], VERSION_FIELD]})
        return [first, *fieldsets[1:]]
