"""Reads of the employment registry, always inside the user's scope first."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from assistance.selectors import cases_for
from employment.models import (
    ENTREPRENEURSHIP_CASE_TYPES,
    PLACED_STATUSES,
    Employer,
    EmploymentProfile,
    JobFair,
    JobReferral,
    ReferralResult,
    StatusChange,
)
from grids.scoping import scope_queryset
from veterans.models import LifeStatus


def live_q(prefix: str = "") -> Q:
    """The person's file is open and the person alive: the registry's people."""
    return Q(**{f"{prefix}person__removed_at__isnull": True, f"{prefix}person__life_status": LifeStatus.ALIVE})


def placed_in_year_q(year: int) -> Q:
    """今年实现就业: a status change this year into 已就业 or 自主创业 (not the registration line,
    which records a status the person already had), or a referral answered 已录用 this year."""
    changed = StatusChange.objects.filter(
        profile=OuterRef("pk"), to_status__in=PLACED_STATUSES, changed_on__year=year
    ).exclude(from_status="")
    hired = JobReferral.objects.filter(person=OuterRef("person_id"), result=ReferralResult.HIRED, result_on__year=year)
    return Q(Exists(changed)) | Q(Exists(hired))


def profiles_for(*, user) -> QuerySet[EmploymentProfile]:
    """Registry lines of open files (a cancelled file's line leaves the registry with it)."""
    return scope_queryset(user, EmploymentProfile.objects.filter(person__removed_at__isnull=True))


def profile_list_for(*, user) -> QuerySet[EmploymentProfile]:
    return profiles_for(user=user).select_related("person", "grid", "community", "street")


def employers_for(*, user) -> QuerySet[Employer]:
    return scope_queryset(user, Employer.objects.select_related("district"))


def referrals_for(*, user) -> QuerySet[JobReferral]:
    return scope_queryset(user, JobReferral.objects.select_related("person", "employer", "grid"))


def fairs_for(*, user) -> QuerySet[JobFair]:
    return scope_queryset(user, JobFair.objects.select_related("district"))


def entrepreneurship_cases_of(*, user, person_id: int):
    """The person's self-employment grants and loan interest subsidies: assistance cases of those
    two types, read through the assistance selectors (money is assistance's)."""
    cases = cases_for(user=user).filter(veteran_id=person_id, case_type__name__in=ENTREPRENEURSHIP_CASE_TYPES)
    return list(cases.order_by("-created_at", "-id"))
