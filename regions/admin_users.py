"""The user admin, as editors see it: they onboard coordinators and fellow editors, nothing more.

Superusers keep Django's full user admin. An editor
- sees and edits only non-superusers (so cannot reset an operations account's password),
- can give a user only the roles Redaktör and Regional samordnare, never a permission, staff or
  superuser status directly (those fields are not in their form; a crafted POST cannot set them),
- marks a user as staff exactly when they hold one of the two roles.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _

from .permissions import COORDINATOR_GROUP, EDITOR_GROUP

ROLES = [EDITOR_GROUP, COORDINATOR_GROUP]


class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "roles"]
    list_filter = ["is_active", "groups"]

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return [
            (None, {"fields": ["username", "password"]}),
            (_("Personuppgifter"), {"fields": ["first_name", "last_name", "email"]}),
            (_("Roll"), {"fields": ["is_active", "groups"]}),
            (_("Historik"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["last_login", "date_joined"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
            # Two checkboxes, not the two-pane filter widget, which fails axe (WCAG 4.1.2).
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.is_superuser and not user.is_superuser:
            is_staff = user.groups.filter(name__in=ROLES).exists()
            if user.is_staff != is_staff:
                User.objects.filter(pk=user.pk).update(is_staff=is_staff)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
