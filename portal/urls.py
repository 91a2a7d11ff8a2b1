"""Every public URL of the portal, in one list, so that a page's code is one step from its address.

URL words are Swedish (see shared/GLOSSARY.md); the views they point to are named in English.
The HTML pages exist twice: in Swedish at their plain address and with the English interface under
/en/ (same Swedish URL words, same content). Data, feeds, health checks and the admin are Swedish only.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from editorial import view_on_site
from initiatives import downloads
from initiatives import views as initiatives_views
from initiatives.feeds import FocusAreaFeed, RegionFeed, ThemeFeed
from portal import health, sitemaps
from portal import views as portal_views
from portal.api import api
from portal.page_cache import public_page
from portal.sitemaps import SITEMAPS
from regions import views as regions_views
from regions.staff_passwords import StaffPasswordResetForm

admin.site.site_header = _("Vägar till hållbar utveckling – redigering")
admin.site.site_title = _("Vägar till hållbar utveckling")
admin.site.index_title = _("Katalogen")
ADMIN_TITLES = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

pages = [
    path("", regions_views.home, name="home"),
    path("regioner/", regions_views.region_list, name="region_list"),
    path("regioner/<slug:slug>/", regions_views.region_detail, name="region_detail"),
    path(
        "regioner/<slug:region>/<slug:slug>/", initiatives_views.focus_area_detail, name="focus_area_detail"
    ),
    path("insatsomraden/", initiatives_views.focus_area_list, name="focus_area_list"),
    path("teman/", initiatives_views.theme_list, name="theme_list"),
    path("teman/<slug:slug>/", initiatives_views.theme_detail, name="theme_detail"),
    path(
        "obligatoriska-omraden/<slug:slug>/",
        initiatives_views.mandatory_area_detail,
        name="mandatory_area_detail",
    ),
    path("jamfor/", regions_views.comparison, name="comparison"),
    path("sok/", initiatives_views.search_page, name="search"),
    path("om/", portal_views.about, name="about"),
    path("tillganglighet/", portal_views.accessibility, name="accessibility"),
]

urlpatterns = [
    # Feeds and downloads are data: Swedish, at one address each. First, so that a region's feed is not
    # read as an insatsområde called "flode".
    path("regioner/<slug:slug>/flode/", public_page(RegionFeed()), name="region_feed"),
    path("insatsomraden/flode/", public_page(FocusAreaFeed()), name="focus_area_feed"),
    path("insatsomraden/ladda-ner.csv", downloads.focus_area_csv, name="focus_area_csv"),
    path("insatsomraden/ladda-ner.json", downloads.catalogue_json, name="catalogue_json"),
    path("teman/<slug:slug>/flode/", public_page(ThemeFeed()), name="theme_feed"),
    *i18n_patterns(*pages, prefix_default_language=False),
    # A sitemap index, and each section in pages of at most 1,000 addresses (portal/sitemaps.py).
    path(
        "sitemap.xml",
        public_page(sitemaps_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", public_page(sitemaps.section_page), name="sitemap_section"),
    path("robots.txt", portal_views.robots_txt, name="robots_txt"),
    path("datasets/dcat", portal_views.dcat, name="dcat"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    # Before the admin's own: "Visa på webbplatsen" only for what the user may see
    # (editorial/view_on_site.py).
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site.view_on_site),
        name="admin_view_on_site",
    ),
    # Staff choose their own passwords with an e-mailed one-time link (regions/staff_passwords.py).
    path(
        "admin/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=StaffPasswordResetForm, extra_context=ADMIN_TITLES),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_TITLES),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]

# A request that cannot be read is a plain 400 page; an address spelt otherwise than the site spells it is
# sent to the site's spelling before it is a 404; an unexpected error is a plain 500 page; the database being
# away is a 503 (portal/views.py).
handler400 = "portal.views.bad_request"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
