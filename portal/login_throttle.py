"""Login throttling (django-axes) with two limits:

- five failed logins for one username from one address lock that pair out (AXES_FAILURE_LIMIT);
- twenty failed logins from one address, whatever the usernames, lock the address out
  (ADDRESS_FAILURE_LIMIT), so that one password tried against many usernames is limited too. Higher than
  the first, so that one office behind a shared address is not locked out by a few typing mistakes.

django-axes compares one count with one limit. Its attempts are recorded for both parameter sets
(AXES_LOCKOUT_PARAMETERS); this handler reports the address's count on the pair's scale, so that the
address reaches the limit at ADDRESS_FAILURE_LIMIT failures.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class PairAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(pair, address * settings.AXES_FAILURE_LIMIT // settings.ADDRESS_FAILURE_LIMIT)
