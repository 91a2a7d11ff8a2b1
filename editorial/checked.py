""" "Checked on" dates: coordinators confirm that an insatsområde or a contact is still current, and the
admin lists what nobody has confirmed for twelve months (combine with the region filter per region)."""

import datetime

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

STALE_AFTER = datetime.timedelta(days=365)


class CheckedFilter(admin.SimpleListFilter):
    title = _("kontrollerad")
    parameter_name = "kontrollerad"

    def lookups(self, request, model_admin):
        return [("gammal", _("Inte på 12 månader (eller aldrig)")), ("aktuell", _("Inom 12 månader"))]

    def queryset(self, request, queryset):
        limit = timezone.localdate() - STALE_AFTER
        if self.value() == "gammal":
            return queryset.exclude(checked_on__gte=limit)
        if self.value() == "aktuell":
            return queryset.filter(checked_on__gte=limit)
        return queryset


@admin.action(description=_("Markera som kontrollerade i dag"))
def mark_checked_today(modeladmin, request, queryset):
    today = timezone.localdate()
    count = 0
    for obj in queryset:  # one save each, so that the history records who confirmed what
        obj.checked_on = today
        obj.save(update_fields=["checked_on"])
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d post markerad som kontrollerad.",
            "%(count)d poster markerade som kontrollerade.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )
