"""Rows of the district's list and referrals, made through the services (by a program unless a
user is given)."""

import datetime

from django.utils import timezone

from grids.scoping import SYSTEM
from referrals.models import Provider, ProviderKind, TeamKind, Volunteer, VolunteerTeam
from referrals.services import provider_save, referral_make, team_save, volunteer_save


def make_team(district, *, name="红星团", kind=TeamKind.MEDICAL, acting_user=SYSTEM, **fields) -> VolunteerTeam:
    return team_save(team=VolunteerTeam(district=district, name=name, kind=kind, **fields), acting_user=acting_user)


def make_volunteer(team, *, name="陈志愿", phone="13700001111", acting_user=SYSTEM, **fields) -> Volunteer:
    volunteer = Volunteer(team=team, name=name, phone=phone, **fields)
    return volunteer_save(volunteer=volunteer, acting_user=acting_user)


def make_provider(
    district, *, name="幸福里助老食堂", kind=ProviderKind.ELDER_CANTEEN, acting_user=SYSTEM, **fields
) -> Provider:
    provider = Provider(district=district, name=name, kind=kind, **fields)
    return provider_save(provider=provider, acting_user=acting_user)


def make_referral(veteran, provider, *, by, referred_on=None, need="独居，需要每日送餐", **fields):
    referred_on = referred_on or timezone.localdate() - datetime.timedelta(days=10)
    return referral_make(
        veteran=veteran, provider=provider, need=need, referred_on=referred_on, acting_user=by, **fields
    )
