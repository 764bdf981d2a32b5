"""A clock for demo data that needs a past: the services run as if at another time.

The demo builders write through the real services, which stamp what they do with the time of
day (a case's steps, its payment, the fund ledger, appeal notes). A year of history written in
one second would all bear today's date; under `demo_clock` those stamps (auto_now fields, the
services' own `timezone.now()` and `localdate()`) read the clock instead. Fields whose default
is the function itself (the audit log's `occurred_at`) keep the real time: the audit records
when the rows were really written.

For seeding only: never around a real user's write.
"""

import datetime
import random
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from core.workdays import is_working_day

OFFICE_OPENS = datetime.time(8, 30)
OFFICE_SECONDS = 9 * 3600  # to 17:30


class DemoClock:
    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def now(self) -> datetime.datetime:
        return self.moment


@contextmanager
def demo_clock(moment: datetime.datetime):
    """Within the block, `timezone.now()` answers `clock.moment`; set it as the story goes on."""
    clock = DemoClock(moment)
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock


def office_hours(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment between 08:30 and 17:30 (local time) of `day`."""
    opens = timezone.make_aware(datetime.datetime.combine(day, OFFICE_OPENS))
    return opens + datetime.timedelta(seconds=rng.randrange(OFFICE_SECONDS + 1))


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day
