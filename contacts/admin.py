from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from regions.admin_checked import CheckedFilter, mark_checked_today
from regions.admin_conflicts import ConflictSafeAdminMixin
from regions.admin_scoping import RegionScopedAdminMixin

from .erasure import erase_contacts
from .models import Contact


@admin.register(Contact)
class ContactAdmin(ConflictSafeAdminMixin, RegionScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "region", "organisation", "phone", "email", "is_public", "checked_on"]
    list_filter = ["is_public", CheckedFilter, "region"]
    delete_confirmation_template = "admin/contacts/contact/delete_confirmation.html"
    actions = [mark_checked_today]
    list_select_related = ["region"]
    search_fields = ["name", "organisation", "role", "email", "phone"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["region", "name", "organisation", "role", "phone", "email", "is_public", "order"]},
        ),
        (_("Insatsområden"), {"fields": ["focus_areas"]}),
        (_("Källa"), {"fields": ["source", "source_section"]}),
        (_("Historik"), {"fields": ["created_at", "updated_at"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Checkboxes, not the two-pane filter widget, which fails axe; the choices are the region's own.
        if db_field.name == "focus_areas":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Deleting a contact erases it (contacts/erasure.py): the person's data leaves the history too.
    def delete_model(self, request, obj):
        erase_contacts([obj])

    def delete_queryset(self, request, queryset):
        erase_contacts(list(queryset))
