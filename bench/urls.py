"""Production's URLs plus /bench/bare/: an HttpResponse behind the same middleware, the baseline that
every page's throughput is divided by. Only the benchmark's settings include it."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
