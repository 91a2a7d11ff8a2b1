"""The user admin, as editors see it: they onboard coordinators and fellow editors, nothing more.

Superusers keep Django's full user admin. An editor
- sees and edits only non-superusers (so cannot reach an operations account),
- adds a person with a user name, a name and an e-mail address; the person is e-mailed a link to choose
  their own password (regions/staff_passwords.py). Editors never type or set anybody's password, can
  send a new link with an action in the list, and cannot change an address once it is set (the link
  would follow it),
- can give a user only the roles Redaktör and Regional samordnare, never a permission, staff or
  superuser status directly (those fields are not in their form; a crafted POST cannot set them),
- marks a user as staff exactly when they hold one of the two roles.
"""

import smtplib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editorial.permissions import COORDINATOR_GROUP, EDITOR_GROUP

from .staff_passwords import send_password_link

ROLES = [EDITOR_GROUP, COORDINATOR_GROUP]


class InviteUserForm(forms.ModelForm):
    """A new person, without a password: they choose it from the e-mailed link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("Hit skickas länken där personen väljer sitt lösenord.")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.action(description=_("Skicka länk för att välja lösenord"))
def send_password_links(modeladmin, request, queryset):
    sent, missing = 0, []
    for user in queryset:
        if modeladmin.send_link(request, user, invitation=not user.has_usable_password()):
            sent += 1
        elif not user.email:
            missing.append(user.get_username())
    if sent:
        modeladmin.message_user(
            request,
            ngettext("En länk skickad.", "%(count)d länkar skickade.", sent) % {"count": sent},
            messages.SUCCESS,
        )
    if missing:
        modeladmin.message_user(
            request,
            _("Ingen e-postadress, så ingen länk: %(names)s.") % {"names": ", ".join(missing)},
            messages.WARNING,
        )


class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "is_active", "roles"]
    list_filter = ["is_active", "groups"]
    actions = [send_password_links]

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("lösenord"))
    def password_info(self, obj):
        if not obj.has_usable_password():
            return _("Inte valt ännu. Personen väljer det själv med länken i e-posten.")
        return _(
            "Personen väljer sitt lösenord själv. Har hen glömt det: välj personen i listan och åtgärden "
            "”Skicka länk för att välja lösenord”."
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = InviteUserForm
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if obj is None:
            return [(None, {"fields": ["username", "first_name", "last_name", "email"]})]
        return [
            (None, {"fields": ["username", "password_info"]}),
            (_("Personuppgifter"), {"fields": ["first_name", "last_name", "email"]}),
            (_("Roll"), {"fields": ["is_active", "groups"]}),
            (_("Historik"), {"fields": ["last_login", "date_joined"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        # Once set, the address is where password links go: an editor who could change it could send
        # somebody else's link to themselves. Operations correct addresses.
        return ["password_info", "last_login", "date_joined", *(["email"] if obj is not None else [])]

    def user_change_password(self, request, id, form_url=""):
        # Only operations set a password for somebody else; everybody sets their own at
        # /admin/password_change/ or with an e-mailed link.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
            # Two checkboxes, not the two-pane filter widget, which fails axe (WCAG 4.1.2).
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def send_link(self, request, user, *, invitation) -> bool:
        """E-mail the link; a mail server that does not answer is a message, not an error page."""
        try:
            return send_password_link(request, user, invitation=invitation)
        except (OSError, smtplib.SMTPException):
            self.message_user(
                request,
                _(
                    "E-postmeddelandet till %(email)s kunde inte skickas. Kontot finns; skicka länken igen "
                    "med åtgärden ”Skicka länk för att välja lösenord” när e-posten fungerar."
                )
                % {"email": user.email},
                messages.ERROR,
            )
            return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password() and self.send_link(request, obj, invitation=True):
            self.message_user(
                request,
                _("En länk för att välja lösenord har skickats till %(email)s.") % {"email": obj.email},
                messages.SUCCESS,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not request.user.is_superuser and not user.is_superuser:
            is_staff = user.groups.filter(name__in=ROLES).exists()
            if user.is_staff != is_staff:
                User.objects.filter(pk=user.pk).update(is_staff=is_staff)


admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
