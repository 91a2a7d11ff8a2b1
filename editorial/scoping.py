"""Region scoping for the admin: a regional coordinator sees and accepts only their regions' objects.

One mixin applies the rule of editorial/permissions.py on every path the admin has:
- get_queryset: changelists, change/delete/history views, bulk actions and the autocomplete endpoints
  (Django's autocomplete reads the target model admin's get_queryset), so another region's object is
  "does not exist";
- foreign-key and many-to-many choices: a crafted form naming another region's region, insatsområde or
  contact fails validation, so nothing can be moved to or created in another region;
- object permissions, as a second line behind the queryset.
"""

from contacts.models import Contact
from initiatives.models import FocusArea
from regions.models import Region

from .permissions import may_edit_region, region_filter

# Models offered as choices in forms, and how to reach their region.
SCOPED_CHOICES = {Region: "pk", FocusArea: "region", Contact: "region"}


class RegionScopedAdminMixin:
    # How to reach an object's region from the model: "region", "focus_area__region", or "pk" for Region.
    region_path = "region"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(region_filter(request.user, self.region_path))

    def _region_id(self, obj):
        if self.region_path == "pk":
            return obj.pk
        for name in self.region_path.split("__")[:-1]:
            obj = getattr(obj, name)
        return getattr(obj, f"{self.region_path.split('__')[-1]}_id")

    def _scoped_choices(self, request, model):
        if model in SCOPED_CHOICES:
            return model._default_manager.filter(region_filter(request.user, SCOPED_CHOICES[model]))
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self._scoped_choices(request, db_field.related_model)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self._scoped_choices(request, db_field.related_model)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _allowed(self, request, obj):
        return obj is None or may_edit_region(request.user, self._region_id(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, obj)
