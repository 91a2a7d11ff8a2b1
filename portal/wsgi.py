"""WSGI entry point, used by gunicorn: `gunicorn portal.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

# The search's Swedish word list (0.2 s to load), before gunicorn forks its workers (preload_app): shared
# by them, instead of each worker's first search waiting for it.
from initiatives.search import words  # noqa: E402

words.warm()
