"""Every public URL of the portal, in one list, so that a page's code is one step from its address.

URL words are Swedish (see shared/GLOSSARY.md); the views they point to are named in English.
"""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from initiatives import views as initiatives_views
from regions import views as regions_views

admin.site.site_header = _("Vägar till hållbar utveckling – redigering")
admin.site.site_title = _("Vägar till hållbar utveckling")
admin.site.index_title = _("Katalogen")

urlpatterns = [
    path("", regions_views.home, name="home"),
    path("regioner/", regions_views.region_list, name="region_list"),
    path("regioner/<slug:slug>/", regions_views.region_detail, name="region_detail"),
    path(
        "regioner/<slug:region>/<slug:slug>/", initiatives_views.focus_area_detail, name="focus_area_detail"
    ),
    path("admin/", admin.site.urls),
]
