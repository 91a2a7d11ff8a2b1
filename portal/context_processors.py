"""Template context every page needs."""

from django.conf import settings
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from portal.page_cache import ADDRESS_PARAMETERS, own_parameters


def language_switch(request):
    """The same page in the other interface language(s), query string included, for the switch and hreflang.

    A page that has no counterpart (a 404, say) links to the other language's start page instead, and so
    does a path that would make a link to another host (`//evil.example/regioner/kalmar/` is a 404 whose
    path reads as a host name and a path).
    """
    current = translation.get_language()
    here = _without_made_up_parameters(request)
    on_this_site = url_has_allowed_host_and_scheme(here, allowed_hosts=None)
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(here, code) if on_this_site else here
        if not on_this_site or (url == here and code != current):
            with translation.override(code):
                url = reverse("home")
        alternates.append({
            "code": code,
            "name": name,
            "url": url,
            # hreflang must be absolute (search engines ignore relative alternates)
            "absolute_url": request.build_absolute_uri(url),
            "current": code == current,
        })  # fmt: skip
    canonical = next(alternate["absolute_url"] for alternate in alternates if alternate["current"])
    return {"language_alternates": alternates, "canonical_url": canonical}


def _without_made_up_parameters(request):
    """The address as the site's own links write it: a parameter the site does not use (`utm_source`, a
    crawler's random string) is left out of the language switch, the alternates and the canonical link,
    so that every such variant points search engines to the one page it is."""
    if ADDRESS_PARAMETERS.issuperset(request.GET):
        return request.get_full_path()  # as written
    kept = own_parameters(request)
    return request.path + (f"?{kept.urlencode()}" if kept else "")
