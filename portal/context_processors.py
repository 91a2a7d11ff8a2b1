"""Template context every page needs."""

from django.conf import settings
from django.urls import reverse
from django.urls.base import translate_url
from django.utils import translation


def language_switch(request):
    """The same page in the other interface language(s), query string included, for the switch and hreflang.

    A page that has no counterpart (a 404, say) links to the other language's start page instead.
    """
    current = translation.get_language()
    here = request.get_full_path()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(here, code)
        if url == here and code != current:
            with translation.override(code):
                url = reverse("home")
        alternates.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"language_alternates": alternates}
