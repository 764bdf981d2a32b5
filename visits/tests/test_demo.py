from io import StringIO

from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from veterans.models import Veteran
from visits.models import Visit


def test_seed_demo_adds_veterans_and_visits_with_due_dates(db):
    call_command(
        "seed_demo",
        "--streets",
        "2",
        "--communities",
        "4",
        "--grids",
        "10",
        "--veterans",
        "300",
        "--visits",
        "900",
        stdout=StringIO(),
    )
    assert Veteran.objects.count() == 300
    assert Visit.objects.count() == 900
    veteran = Veteran.objects.filter(visits__isnull=False).annotate(last=Max("visits__visited_at")).first()
    assert veteran.last_visit_on == timezone.localtime(veteran.last).date()
    assert not Veteran.objects.filter(visit_due_on__isnull=True).exists()
    assert not Veteran.objects.filter(visit_interval_days__isnull=True).exists()


def test_demo_visits_happen_in_working_hours_on_working_days(db):
    import datetime

    from core.workdays import is_working_day
    from visits.demo import build_demo_visits

    call_command(
        "seed_demo", "--streets", "1", "--communities", "2", "--grids", "3", "--veterans", "40", stdout=StringIO()
    )
    build_demo_visits(count=500, seed=7)
    opening, closing = datetime.time(8, 30), datetime.time(17, 30)
    now = timezone.now()
    for visited_at in Visit.objects.values_list("visited_at", flat=True):
        local = timezone.localtime(visited_at)  # Beijing time
        assert opening <= local.time() <= closing, local
        assert is_working_day(local.date()), local
        assert visited_at <= now
