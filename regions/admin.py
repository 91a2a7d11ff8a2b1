from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from initiatives.models import Link

from .models import Region, SeedRecord, Source


class RegionLinkInline(admin.TabularInline):
    model = Link
    fk_name = "region"
    fields = ["order", "label", "url", "source", "source_section"]
    extra = 0
    verbose_name_plural = _("länkar på regionens sida")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(focus_area=None).select_related("source")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "county_code", "focus_area_count", "updated_at"]
    search_fields = ["name", "short_name", "introduction"]
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [RegionLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "county_code", "introduction"]}),
        (_("Källa"), {"fields": ["source", "source_section"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(focus_area_count=Count("focus_areas"))

    @admin.display(description=_("insatsområden"), ordering="focus_area_count")
    def focus_area_count(self, obj):
        return obj.focus_area_count


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "file_name"]
    search_fields = ["title", "publisher", "introduction"]


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
