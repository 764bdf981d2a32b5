from io import StringIO

from django.core.management import call_command

from appeals.models import Appeal, AppealStatus


def test_demo_appeals_cover_open_overdue_and_closed_ones(db):
    call_command(
        "seed_demo",
        "--streets",
        "2",
        "--communities",
        "4",
        "--grids",
        "8",
        "--veterans",
        "120",
        "--appeals",
        "30",
        stdout=StringIO(),
    )
    assert Appeal.objects.count() == 30
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert {AppealStatus.ACCEPTED, AppealStatus.IN_PROGRESS, AppealStatus.CLOSED} <= statuses
    assert all(appeal.notes.exists() for appeal in Appeal.objects.all())
