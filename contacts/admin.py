from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from editorial.checked import CheckedFilter, mark_checked_today
from editorial.conflicts import ConflictSafeModelForm
from editorial.content_admin import RegionContentAdmin

from .erasure import erase_contacts
from .models import Contact


class ContactForm(ConflictSafeModelForm):
    def clean(self):
        cleaned = super().clean()
        region, areas = cleaned.get("region"), cleaned.get("focus_areas")
        if region is not None and areas is not None:
            strangers = [area for area in areas if area.region_id != region.pk]
            if strangers:
                self.add_error(
                    "focus_areas",
                    _(
                        "%(names)s hör till en annan region än kontaktpersonen. Avmarkera dem, eller låt "
                        "kontaktpersonen vara kvar i sin region."
                    )
                    % {"names": ", ".join(area.title for area in strangers)},
                )
        return cleaned


@admin.register(Contact)
class ContactAdmin(RegionContentAdmin):
    form = ContactForm
    publish_field = ("is_public", True, False)
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "focus_areas" in form.base_fields:
            # Only the contact's own region's insatsområden to choose from.
            field = form.base_fields["focus_areas"]
            field.queryset = field.queryset.filter(region_id=obj.region_id)
        return form

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
