from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from editorial.conflicts import ConflictSafeInlineMixin
from editorial.content_admin import RegionContentAdmin
from editorial.permissions import COORDINATOR_GROUP, edits_every_region
from initiatives.models import Link

from .models import Region, SeedRecord, Source, SourceDiscrepancy


class RegionLinkInline(ConflictSafeInlineMixin, admin.StackedInline):
    # Stacked, not tabular: the tabular inline's scrolling table fails axe on a phone (WCAG 2.1.1).
    model = Link
    fk_name = "region"
    fields = ["order", "label", "url", "source", "source_section"]
    extra = 0
    verbose_name_plural = _("länkar på regionens sida")
    # The region's own links, not its insatsområdens (editorial/restore.py restores these).
    restore_filter = {"focus_area_id": None}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(focus_area=None).select_related("source")


@admin.register(Region)
class RegionAdmin(RegionContentAdmin):
    region_path = "pk"
    list_display = ["name", "county_code", "focus_area_count", "updated_at"]
    search_fields = ["name", "short_name", "introduction"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [RegionLinkInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "short_name", "slug", "county_code", "introduction"]}),
            (_("Källa"), {"fields": ["source", "source_section"]}),
            (_("Historik"), {"fields": ["created_at", "updated_at"]}),
        ]
        if edits_every_region(request.user):
            fieldsets.insert(1, (_("Regionala samordnare"), {"fields": ["coordinators"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Coordinators keep their region's descriptive texts current; its identity is the editors'.
        if edits_every_region(request.user):
            return self.readonly_fields
        return [
            *self.readonly_fields,
            "name",
            "short_name",
            "slug",
            "county_code",
            "source",
            "source_section",
        ]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if edits_every_region(request.user) else {}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "coordinators":
            kwargs["queryset"] = get_user_model().objects.filter(
                groups__name=COORDINATOR_GROUP, is_active=True
            )
            # Checkboxes, not the two-pane filter widget, which fails axe (WCAG 4.1.2).
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The count's GROUP BY drops Meta.ordering; the autocomplete endpoint pages this queryset.
        queryset = super().get_queryset(request).annotate(focus_area_count=Count("focus_areas"))
        return queryset.order_by("short_name")

    @admin.display(description=_("insatsområden"), ordering="focus_area_count")
    def focus_area_count(self, obj):
        return obj.focus_area_count


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """The source texts. Editors record a text's date and address here; the pages' "Om uppgifterna" box
    shows them."""

    list_display = ["title", "publisher", "published_on", "file_name"]
    search_fields = ["title", "publisher", "introduction"]
    fields = ["title", "publisher", "url", "published_on", "date_note", "file_name", "introduction", "slug"]


@admin.register(SourceDiscrepancy)
class SourceDiscrepancyAdmin(admin.ModelAdmin):
    """Where the sources disagree: the region's page names both (regions/views.py, "Om uppgifterna")."""

    list_display = ["subject", "region", "focus_area", "first_source", "second_source"]
    list_filter = ["region"]
    search_fields = ["subject", "first_says", "second_says"]


@admin.register(SeedRecord)
class SeedRecordAdmin(admin.ModelAdmin):
    """Read-only: what `manage.py seed` last wrote, for answering "why was my edit kept/overwritten?"."""

    list_display = ["model_label", "natural_key", "seeded_at"]
    list_filter = ["model_label"]
    search_fields = ["natural_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


from . import admin_users  # noqa: E402,F401  -- the user admin as editors see it
