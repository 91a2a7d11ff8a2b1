"""Every public URL of the portal, in one list, so that a page's code is one step from its address.

URL words are Swedish (see shared/GLOSSARY.md); the views they point to are named in English.
"""

from django.contrib import admin
from django.urls import path

from initiatives import views as initiatives_views
from regions import views as regions_views

urlpatterns = [
    path("", regions_views.home, name="home"),
    path("regioner/", regions_views.region_list, name="region_list"),
    path("regioner/<slug:slug>/", regions_views.region_detail, name="region_detail"),
    path("regioner/<slug:region>/<slug:slug>/", initiatives_views.focus_area_detail, name="focus_area_detail"),
    path("admin/", admin.site.urls),
]
