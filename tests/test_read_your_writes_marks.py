"""Read-your-writes marks only users who can read a stale page (core.db.replicas.may_read_stale):
grid workers' phones write all day and read none, so their writes cost no cache write."""

import pytest

from core.db import replicas
from grids.models import Role
from grids.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_staff_and_dashboard_readers_may_read_stale_pages(tree):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    leader = make_staff(tree["district"], role=Role.BUREAU_LEADER)
    assert replicas.may_read_stale(station)
    assert replicas.may_read_stale(leader)


def test_a_grid_worker_reads_no_stale_page(tree):
    worker = make_staff(tree["grid_a11"], role=Role.GRID_WORKER)
    assert not worker.is_staff
    assert not worker.has_perm("dashboard.view_dashboard")
    assert not replicas.may_read_stale(worker)
