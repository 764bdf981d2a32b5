"""Festival campaigns take their dates from the lunar calendar when a clerk leaves them blank."""

import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from grids.tests.factories import make_staff
from visits.models import CampaignKind
from visits.seasons import festival_window, next_festival_window
from visits.services import campaign_create


def test_lunar_festivals_move_with_the_lunar_calendar():
    # 春节 2027 is 6 February (腊月二十三 is 30 January, 元宵 20 February); in 2028 it is 26 January.
    assert festival_window(CampaignKind.SPRING_FESTIVAL, 2027) == (
        datetime.date(2027, 1, 30),
        datetime.date(2027, 2, 20),
    )
    assert festival_window(CampaignKind.SPRING_FESTIVAL, 2028) == (
        datetime.date(2028, 1, 19),
        datetime.date(2028, 2, 9),
    )
    assert festival_window(CampaignKind.MID_AUTUMN, 2027) == (datetime.date(2027, 9, 1), datetime.date(2027, 9, 15))
    assert festival_window(CampaignKind.DOUBLE_NINTH, 2026) == (datetime.date(2026, 10, 4), datetime.date(2026, 10, 18))
    assert festival_window(CampaignKind.ARMY_DAY, 2027) == (datetime.date(2027, 7, 18), datetime.date(2027, 8, 1))
    assert festival_window(CampaignKind.OTHER, 2027) is None


def test_a_festival_already_past_this_year_means_next_years():
    december = datetime.date(2026, 12, 6)
    assert next_festival_window(CampaignKind.SPRING_FESTIVAL, december)[1] == datetime.date(2027, 2, 20)
    assert next_festival_window(CampaignKind.MID_AUTUMN, december)[1] == datetime.date(2027, 9, 15)
    assert next_festival_window(CampaignKind.SPRING_FESTIVAL, datetime.date(2026, 2, 20))[1] == datetime.date(
        2026, 3, 3
    )  # still inside this year's window


@pytest.mark.django_db
def test_campaign_without_dates_takes_the_festivals_next_window(tree):
    campaign = campaign_create(
        name="重阳敬老",
        kind=CampaignKind.DOUBLE_NINTH,
        target="age_80_plus",
        area=tree["district"],
        acting_user=make_staff(tree["district"]),
    )
    campaign.refresh_from_db()
    assert (campaign.starts_on, campaign.ends_on) == next_festival_window(
        CampaignKind.DOUBLE_NINTH, timezone.localdate()
    )
    assert campaign.ends_on >= timezone.localdate()


@pytest.mark.django_db
def test_campaign_of_another_kind_without_dates_is_refused_with_a_reason(tree):
    from visits.models import Campaign

    with pytest.raises(ApplicationError, match="请填写开始日期和结束日期") as refused:
        campaign_create(
            name="走访",
            kind=CampaignKind.OTHER,
            target="all",
            area=tree["district"],
            acting_user=make_staff(tree["district"]),
        )
    assert refused.value.field == "starts_on"
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_station_sets_up_a_spring_festival_campaign_in_the_admin_without_dates(client, tree):
    from django.urls import reverse

    from visits.models import Campaign

    client.force_login(make_staff(tree["street_a"]))
    form = client.get(reverse("admin:visits_campaign_add"))
    assert "按农历" in form.content.decode()
    answer = client.post(
        reverse("admin:visits_campaign_add"),
        {"name": "2027年春节慰问", "kind": "spring_festival", "target": "all", "community": tree["community_a1"].pk},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert (campaign.starts_on, campaign.ends_on) == next_festival_window("spring_festival", timezone.localdate())
