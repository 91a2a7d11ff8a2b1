"""The admin's "Visa på webbplatsen" (`/admin/r/<content type>/<id>/`), within the user's reach.

Django's own shortcut redirects any staff user to any object's public address, so counting ids would
reveal every region's drafts and their addresses to a coordinator. Here the object is looked up through
its model admin's scoped queryset and view permission first; anything else is a 404.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


def view_on_site(request, content_type_id, object_id):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site.get_model_admin(model) if model and admin.site.is_registered(model) else None
    if model_admin is None:
        raise Http404
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
