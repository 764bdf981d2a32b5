import datetime

import pytest
from django.utils import timezone

from veterans.models import Veteran
from veterans.tests.factories import make_veteran


@pytest.fixture
def city(tree):
    """Six veterans, hand-placed: what each figure must count is written beside it."""
    today = timezone.localdate()
    late, ahead = today - datetime.timedelta(days=3), today + datetime.timedelta(days=20)
    people = {
        "old_member": make_veteran(
            tree["grid_a11"],
            birth_date=datetime.date(1940, 1, 1),
            is_party_member=True,
            party_relation="pocket",
            glory_plaque_hung_on=today,
        ),
        "korean_war": make_veteran(
            tree["grid_a11"], birth_date=datetime.date(1932, 5, 1), categories=[("korean_war", None)]
        ),
        "young": make_veteran(tree["grid_a12"], birth_date=datetime.date(1990, 1, 1), veteran_type="retired_nco"),
        "b_disabled": make_veteran(tree["grid_b11"], categories=[("disabled", 5), ("war_or_nuclear_test", None)]),
        "b_member": make_veteran(tree["grid_b11"], is_party_member=True, party_relation="mobile"),
        "b_gone": make_veteran(tree["grid_b21"], life_status="deceased", life_status_date=today),
    }
    due = {"old_member": ahead, "korean_war": late, "young": ahead, "b_disabled": late, "b_member": ahead}
    for key, day in due.items():
        Veteran.objects.filter(pk=people[key].pk).update(visit_due_on=day, event_due_on=None)
    return people
