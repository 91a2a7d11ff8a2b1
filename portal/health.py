"""Health checks for the load balancer and the orchestrator.

/healthz: the process answers (no database). /readyz: a *fresh* database connection can be opened and
used, not the persistent one the worker may hold, so a database that went away is noticed at once;
503 while it is down, 200 again when it is back.
"""

from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

# What a database that cannot be reached raises (refused, restarting, connection cut): the one definition
# of "the database is away" that the 503 page, the page cache and the logs go by.
DATABASE_AWAY = (OperationalError, InterfaceError)


def database_ready(alias="default") -> bool:
    connection = connections.create_connection(alias)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to reach or use the database means "not ready"
        return False
    finally:
        connection.close()


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    if database_ready():
        return JsonResponse({"status": "ready"})
    return JsonResponse({"status": "database unavailable"}, status=503)
