"""Template context every page needs."""

from django.conf import settings
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


def language_switch(request):
    """The same page in the other interface language(s), query string included, for the switch and hreflang.

    A page that has no counterpart (a 404, say) links to the other language's start page instead, and so
    does a path that would make a link to another host (`//evil.example/regioner/kalmar/` is a 404 whose
    path reads as a host name and a path).
    """
    current = translation.get_language()
    here = request.get_full_path()
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
    return {"language_alternates": alternates}
