"""The cast of the training tests: a worker of grid a11, the station of street a and of street b,
the district's service center and the bureau leader; a job seeker in a11 and a person in b11; a
provider of the district and an open district course that started a week ago."""

import datetime

import pytest
from django.utils import timezone

from grids.models import Role
from grids.tests.factories import make_staff
from training.models import ProviderKind
from training.services import course_create, provider_save
from veterans.tests.factories import make_veteran


@pytest.fixture
def people(tree):
    return {
        "worker": make_staff(grids=[tree["grid_a11"]]),
        "other_worker": make_staff(grids=[tree["grid_b11"]]),
        "station": make_staff(tree["street_a"], role=Role.STATION_STAFF),
        "other_station": make_staff(tree["street_b"], role=Role.STATION_STAFF),
        "center": make_staff(tree["district"], role=Role.STATION_STAFF),
        "leader": make_staff(tree["district"], role=Role.BUREAU_LEADER),
    }


@pytest.fixture
def veterans(tree):
    return {
        "mine": make_veteran(tree["grid_a11"], name="王德顺", employment="job_seeking"),
        "neighbour": make_veteran(tree["grid_a12"], name="周海涛"),
        "theirs": make_veteran(tree["grid_b11"], name="李长青"),
    }


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def provider(tree, people):
    return provider_save(
        name="区职业技术学校",
        kind=ProviderKind.VOCATIONAL_SCHOOL,
        district=tree["district"],
        acting_user=people["center"],
    )


@pytest.fixture
def make_course(tree, people, provider, today):
    """A maker: a course of the district (or `street`), started `started` days ago."""

    def make(started=7, length=20, places=30, deadline_in=5, street=None, by=None, **extra):
        starts_on = today - datetime.timedelta(days=started)
        return course_create(
            provider=provider,
            title=extra.pop("title", "电工技能培训"),
            trade=extra.pop("trade", "电工"),
            district=tree["district"],
            street=street,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=length),
            enrol_deadline=today + datetime.timedelta(days=deadline_in),
            places=places,
            certificate_name=extra.pop("certificate_name", "电工职业资格证书（五级）"),
            acting_user=by or people["center"],
            **extra,
        )

    return make


@pytest.fixture
def course(make_course):
    return make_course()
