"""Migration 0003: every living file's paired_staff becomes an active pair, once."""

import importlib

from django.apps import apps
from django.utils import timezone

from pairing.models import Pair
from veterans.models import Veteran

turn_into_pairs = importlib.import_module("pairing.migrations.0003_pairs_from_paired_staff").pairs_from_paired_staff


def test_each_living_files_paired_staff_becomes_an_active_pair_once(people, persons):
    Veteran.objects.filter(pk=persons["old"].pk).update(paired_staff=people["worker"].staff_profile)
    Veteran.objects.filter(pk=persons["young"].pk).update(paired_staff=people["station"].staff_profile)
    Veteran.objects.filter(pk=persons["theirs"].pk).update(
        paired_staff=people["other_worker"].staff_profile, life_status="deceased", life_status_date="2026-01-01"
    )
    turn_into_pairs(apps, None)
    turn_into_pairs(apps, None)  # run again: nothing doubled
    pairs = {pair.veteran_id: pair for pair in Pair.objects.all()}
    assert set(pairs) == {persons["old"].pk, persons["young"].pk}
    old = pairs[persons["old"].pk]
    assert (old.partner_kind, old.partner_user, old.active) == ("grid_worker", people["worker"], True)
    assert old.grid_id == persons["old"].grid_id
    assert old.started_on == timezone.localtime(persons["old"].created_at).date()
    assert pairs[persons["young"].pk].partner_kind == "cadre"
