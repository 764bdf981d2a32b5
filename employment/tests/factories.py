"""Registry test data, built through the services (as a program, unless a user is given)."""

import datetime
import itertools

from employment.models import Employer, JobFair
from employment.rules import make_credit_code
from employment.services import employer_save, employment_profile_register, job_fair_save
from grids.scoping import SYSTEM

_codes = itertools.count(1)


def credit_code(serial: int | None = None) -> str:
    return make_credit_code("610927", next(_codes) if serial is None else serial)


def make_profile(person, *, status="seeking", since=datetime.date(2026, 3, 1), acting_user=SYSTEM, **fields):
    return employment_profile_register(
        person=person, status=status, status_since=since, registered_on=since, acting_user=acting_user, **fields
    )


def make_employer(district, *, name="镇坪老兵农业合作社", acting_user=SYSTEM, **fields):
    employer = Employer(name=name, credit_code=fields.pop("credit_code", None) or credit_code(), district=district)
    for key, value in fields.items():
        setattr(employer, key, value)
    return employer_save(employer=employer, acting_user=acting_user)


def make_fair(district, *, held_on=datetime.date(2026, 4, 10), acting_user=SYSTEM, **fields):
    fair = JobFair(
        name=fields.pop("name", "退役军人专场招聘会"), held_on=held_on, place="县人社局大厅", district=district
    )
    return job_fair_save(fair=fair, acting_user=acting_user)
