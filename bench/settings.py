"""The benchmark's settings: production's, plus one bare view as the baseline (bench/urls.py)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
