import time
from io import StringIO

from django.core.management import call_command

from employment.models import EmploymentBase, EmploymentProfile, FairAttendance, JobFair, JobReferral, StatusChange
from veterans.models import Veteran


def test_demo_registry_covers_a_fifth_of_working_age_people_with_employers_and_fairs(db):
    call_command(
        "seed_demo", "--streets", "2", "--communities", "4", "--grids", "8", "--veterans", "300", stdout=StringIO()
    )
    started = time.monotonic()
    call_command("seed_demo", "--employment", stdout=StringIO())
    elapsed = time.monotonic() - started
    profiles = EmploymentProfile.objects.count()
    working_age = [
        v for v in Veteran.objects.filter(district=EmploymentProfile.objects.first().district) if 17 <= v.age <= 60
    ]
    assert 0.1 * len(working_age) <= profiles <= 0.3 * len(working_age)
    assert EmploymentBase.objects.count() == 3 and JobFair.objects.count() == 3
    assert JobReferral.objects.filter(result="hired").exists() and FairAttendance.objects.exists()
    assert StatusChange.objects.count() > profiles  # the hires and changes made history rows
    assert elapsed < 20
