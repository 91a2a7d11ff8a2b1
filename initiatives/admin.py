from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _

from editorial.checked import CheckedFilter, mark_checked_today
from editorial.conflicts import ConflictSafeInlineFormSet, ConflictSafeInlineMixin
from editorial.content_admin import RegionContentAdmin
from editorial.permissions import edits_every_region, may_publish

from .models import Activity, FocusArea, Link, MandatoryArea, Status, Theme


class ActivityFormSet(ConflictSafeInlineFormSet):
    @property
    def empty_form(self):
        # A new activity gets the next order number (static/js/admin-next-order.js counts on from it
        # when several are added before saving).
        form = super().empty_form
        numbers = [f.instance.order for f in self.initial_forms if f.instance.pk]
        form.initial = {**form.initial, "order": max(numbers, default=0) + 1}
        return form


class ActivityInline(ConflictSafeInlineMixin, admin.StackedInline):
    model = Activity
    formset = ActivityFormSet
    fields = [("order", "title"), "body", ("source", "source_section")]
    extra = 0

    class Media:
        js = ["js/admin-next-order.js"]


class FocusAreaLinkFormSet(ConflictSafeInlineFormSet):
    """A link under an insatsområde always belongs to the insatsområde's region."""

    def _construct_form(self, i, **kwargs):
        # Before validation, so that moving the insatsområde to another region moves its links with it
        # (Link.clean checks that the two regions agree).
        form = super()._construct_form(i, **kwargs)
        if self.instance.region_id:
            form.instance.region_id = self.instance.region_id
        return form

    def save_new(self, form, commit=True):
        form.instance.region = self.instance.region
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        form.instance.region = self.instance.region
        return super().save_existing(form, obj, commit)


class FocusAreaLinkInline(ConflictSafeInlineMixin, admin.StackedInline):
    # Stacked, not tabular: the tabular inline's scrolling table fails axe on a phone (WCAG 2.1.1).
    model = Link
    fk_name = "focus_area"
    formset = FocusAreaLinkFormSet
    fields = ["order", "label", "url", "source", "source_section"]
    extra = 0


@admin.register(FocusArea)
class FocusAreaAdmin(RegionContentAdmin):
    publish_field = ("status", Status.PUBLISHED, Status.DRAFT)
    list_display = ["title", "region", "mandatory_area", "status", "updated_at", "checked_on"]
    list_filter = ["status", CheckedFilter, "region", "mandatory_area", "themes", "dimensions"]
    actions = [mark_checked_today]
    list_select_related = ["region", "mandatory_area"]
    search_fields = ["title", "summary", "body", "region__name", "activities__title", "activities__body"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ActivityInline, FocusAreaLinkInline]
    fieldsets = [
        (None, {"fields": ["region", "title", "slug", "status", "order", "summary", "body", "checked_on"]}),
        (_("Klassificering"), {"fields": ["mandatory_area", "themes", "dimensions", "sdg_goals"]}),
        (_("Källa"), {"fields": ["source", "source_section"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        # A new insatsområde goes last on its region's page, not first (order 0).
        initial = super().get_changeform_initial_data(request)
        if initial.get("region") and "order" not in initial:
            last = FocusArea.objects.filter(region_id=initial["region"]).aggregate(Max("order"))["order__max"]
            initial["order"] = (last or 0) + 1
        return initial

    def get_readonly_fields(self, request, obj=None):
        if settings.PUBLISH_REQUIRES_EDITOR and not edits_every_region(request.user):
            return [*self.readonly_fields, "status"]
        return self.readonly_fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        area = form.instance
        # Moved to another region: its links go with it, and contacts of the old region let go of it
        # (a contact is linked only to its own region's insatsområden).
        for link in area.links.exclude(region_id=area.region_id):
            link.region_id = area.region_id
            link.save()
        strangers = list(area.contacts.exclude(region_id=area.region_id))
        if strangers:
            for contact in strangers:  # from the contact's side, so that its history records it
                contact.focus_areas.remove(area)
            self.message_user(
                request,
                _(
                    "Insatsområdet hör nu till %(region)s. Kontaktpersonerna %(names)s hör till en annan "
                    "region och är inte längre kopplade till det."
                )
                % {"region": area.region, "names": ", ".join(c.name for c in strangers)},
                messages.WARNING,
            )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Plain checkboxes: the admin's two-pane filter widget fails axe (WCAG 4.1.2); the lists are short.
        if db_field.name in {"themes", "dimensions", "sdg_goals"}:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(MandatoryArea)
class MandatoryAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    search_fields = ["title", "description"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "focus_area_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(focus_area_count=Count("focus_areas"))

    @admin.display(description=_("insatsområden"), ordering="focus_area_count")
    def focus_area_count(self, obj):
        return obj.focus_area_count


@admin.register(Link)
class LinkAdmin(RegionContentAdmin):
    list_display = ["label", "url", "region", "focus_area"]
    list_filter = ["region"]
    list_select_related = ["region", "focus_area__region"]
    search_fields = ["label", "url"]

    # A link is reviewed with the page it is on: a coordinator who may not publish edits links on the
    # region's or the insatsområde's form, where they are part of its working copy.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_publish(request.user)
