"""Phone, desk and admin pages: the card's action and to-do, replays, steps, lists, ledgers, the
workbench, and the boundary between areas."""

import datetime
import io
import uuid

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from referrals.models import Referral, ReferralStatus
from referrals.tests.factories import make_provider, make_referral, make_team, make_volunteer


def _today() -> str:
    return timezone.localdate().isoformat()


def test_a_grid_worker_refers_from_the_card_and_a_replay_acts_once(client, people, veterans, providers):
    client.force_login(people["worker"])
    card_url = reverse("mobile:card", args=[veterans["mine"].pk])
    new_url = reverse("referrals_mobile:new", args=[veterans["mine"].pk])
    assert new_url in client.get(card_url).content.decode()
    form = client.get(new_url).content.decode()
    assert "幸福里助老食堂" in form and "荣军医院" in form
    posted = {"provider": providers["canteen"].pk, "need": "独居，需要送餐", "referred_on": _today()}
    posted["client_id"] = str(uuid.uuid4())
    first = client.post(new_url, posted, headers={"X-Queue": "1"})
    again = client.post(new_url, posted, headers={"X-Queue": "1"})
    referral = Referral.objects.get()
    assert first.json()["status"] == "stored" and again.json()["replayed"] is True
    assert (referral.referred_by, referral.follow_up_on) == (
        people["worker"],
        timezone.localdate() + datetime.timedelta(days=7),
    )
    card = client.get(card_url).content.decode()
    assert "转介：幸福里助老食堂" in card and "已转介待接收" in card


def test_a_provider_off_the_list_is_refused_on_the_phone_with_its_message(client, tree, people, veterans):
    from grids.tests.factories import StreetFactory

    elsewhere = make_provider(StreetFactory(name="外区街道").district, name="外区食堂")
    client.force_login(people["worker"])
    new_url = reverse("referrals_mobile:new", args=[veterans["mine"].pk])
    assert "外区食堂" not in client.get(new_url).content.decode()
    response = client.post(new_url, {"provider": elsewhere.pk, "need": "送餐", "referred_on": _today()})
    assert response.status_code == 200
    assert "不在该服务对象所在区/县的服务机构名录中" in response.content.decode()
    assert Referral.objects.count() == 0


def test_phone_pages_of_another_grid_are_not_found(client, people, veterans, providers):
    theirs = make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"])
    client.force_login(people["worker"])
    assert client.get(reverse("referrals_mobile:new", args=[veterans["theirs"].pk])).status_code == 404
    assert client.get(reverse("referrals_mobile:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("referrals_mobile:action", args=[theirs.pk, "note"]), {"text": "x"}).status_code == 404
    assert theirs.notes.count() == 1


def test_the_worker_follows_up_on_the_phone(client, people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    client.force_login(people["worker"])
    page = client.get(reverse("referrals_mobile:detail", args=[referral.pk])).content.decode()
    assert 'data-step="note"' in page and 'data-step="accept"' not in page
    ahead = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.post(
        reverse("referrals_mobile:action", args=[referral.pk, "note"]), {"text": "已问食堂", "follow_up_on": ahead}
    )
    referral.refresh_from_db()
    assert referral.follow_up_on.isoformat() == ahead and referral.notes.last().text == "已问食堂"


def test_the_station_accepts_and_closes_on_the_desk_page(client, people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    client.force_login(people["station"])
    url = reverse("referrals:detail", args=[referral.pk])
    assert 'data-step="accept"' in client.get(url).content.decode()
    client.post(reverse("referrals:step", args=[referral.pk, "accept"]), {"answered_on": _today()})
    response = client.post(
        reverse("referrals:step", args=[referral.pk, "close"]), {"outcome": "每日送餐", "closed_on": _today()}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (ReferralStatus.CLOSED, "每日送餐")
    refused = client.post(reverse("referrals:step", args=[referral.pk, "cancel"]), {"reason": "x"}, follow=True)
    assert "当前不能进行此操作" in refused.content.decode()


def test_the_admin_lists_the_stations_area_filters_and_exports_the_ledger(client, people, veterans, providers):
    mine = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"])
    client.force_login(people["station"])
    changelist = reverse("admin:referrals_referral_changelist")
    response = client.get(changelist, {"stage": "overdue"})
    assert [r.pk for r in response.context["cl"].queryset] == [mine.pk]
    exported = client.post(changelist, {"action": "export_ledger", "_selected_action": [mine.pk]})
    book = load_workbook(io.BytesIO(b"".join(exported.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "编号", "转介日期", "姓名") and rows[1][3] == "王德顺" and len(rows) == 2
    assert "导出信息" in book.sheetnames


def test_providers_are_sorted_by_their_exact_average_days_to_close(client, people, veterans, providers):
    from referrals.services import referral_answer, referral_close

    today = timezone.localdate()
    for provider, days in ((providers["canteen"], 4), (providers["hospital"], 1), (providers["hospital"], 2)):
        referral = make_referral(
            veterans["mine"], provider, by=people["worker"], referred_on=today - datetime.timedelta(days)
        )
        referral_answer(referral=referral, accepted=True, answered_on=today, acting_user=people["station"])
        referral_close(referral=referral, outcome="好", closed_on=today, acting_user=people["station"])
    silent = make_provider(providers["canteen"].district, name="未办结机构")
    client.force_login(people["station"])
    changelist = reverse("admin:referrals_provider_changelist")
    column = client.get(changelist).context["cl"].list_display.index("average_days_display")
    rising = client.get(changelist, {"o": str(column)})
    # Where a provider without an average sorts is the database's choice (first on SQLite).
    assert [p.name for p in rising.context["cl"].result_list if p != silent] == ["荣军医院", "幸福里助老食堂"]
    assert "1.5" in rising.content.decode() and "4.0" in rising.content.decode()
    falling = client.get(changelist, {"o": f"-{column}"}).context["cl"].result_list
    assert [p.name for p in falling if p != silent] == ["幸福里助老食堂", "荣军医院"]


def test_providers_list_their_figures_and_the_workbench_counts_to_dos(client, people, veterans, providers):
    make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    client.force_login(people["station"])
    page = client.get(reverse("admin:referrals_provider_changelist")).content.decode()
    assert "平均办结天数" in page and "幸福里助老食堂" in page
    index = client.get(reverse("admin:index")).content.decode()
    assert "跟进已逾期" in index and "待机构接收" in index
    assert reverse("admin:referrals_referral_changelist") + "?stage=overdue" in index


def test_the_center_adds_a_team_with_volunteers_and_exports_them_masked(client, tree, people):
    client.force_login(people["center"])
    response = client.post(
        reverse("admin:referrals_volunteerteam_add"),
        {
            "district": tree["district"].pk, "name": "暖心团", "kind": "emergency", "active": "on",
            "volunteers-TOTAL_FORMS": "1", "volunteers-INITIAL_FORMS": "0",
            "volunteers-0-name": "孙医生", "volunteers-0-phone": "13600002222", "volunteers-0-skills": "全科",
            "volunteers-0-active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    team = make_team(tree["district"], name="红星团")
    make_volunteer(team)
    changelist = reverse("admin:referrals_volunteer_changelist")
    listed = client.get(changelist)
    assert listed.context["cl"].result_count == 2 and "136****2222" in listed.content.decode()
    ids = [v.pk for v in listed.context["cl"].queryset]
    exported = client.post(changelist, {"action": "export_ledger", "_selected_action": ids})
    rows = list(
        load_workbook(io.BytesIO(b"".join(exported.streaming_content))).worksheets[0].iter_rows(values_only=True)
    )
    assert (1, "暖心团", "应急救援", "孙医生", "136****2222", "全科", "否", "是") in rows


def test_lists_cost_a_fixed_number_of_queries(client, people, veterans, providers):
    for number in range(3):
        make_referral(veterans["mine"], providers["canteen" if number % 2 else "hospital"], by=people["worker"])
    client.force_login(people["station"])

    def cost(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    lists = [reverse(f"admin:referrals_{name}_changelist") for name in ("referral", "provider")]
    lists.append(reverse("api-root") + "referrals/")
    before = [cost(url) for url in lists]
    for _ in range(6):
        make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    make_provider(veterans["mine"].district, name="新食堂")
    assert [cost(url) for url in lists] == before


def test_the_referrals_admin_page_shows_its_history(client, people, veterans, providers):
    referral = make_referral(veterans["mine"], providers["canteen"], by=people["worker"])
    client.force_login(people["station"])
    page = client.get(reverse("admin:referrals_referral_change", args=[referral.pk])).content.decode()
    assert "转介至幸福里助老食堂：独居，需要每日送餐" in page


def test_a_referral_from_a_visit_keeps_the_visit_as_its_source(client, people, veterans, providers):
    from visits.services import visit_record

    visit, _created = visit_record(veteran=veterans["mine"], method="home", acting_user=people["worker"])
    client.force_login(people["worker"])
    url = reverse("referrals_mobile:new", args=[veterans["mine"].pk]) + f"?visit={visit.pk}&appeal=x"
    client.post(url, {"provider": providers["hospital"].pk, "need": "复查", "referred_on": _today()})
    assert Referral.objects.get().visit == visit


def test_a_big_referral_ledger_is_built_in_the_background_as_the_file_would_be(
    client, people, veterans, providers, settings, django_capture_on_commit_callbacks
):
    mine = [make_referral(veterans["mine"], providers[key], by=people["worker"]) for key in ("canteen", "hospital")]
    make_referral(veterans["theirs"], providers["canteen"], by=people["other_worker"])
    client.force_login(people["station"])
    selected = {"action": "export_ledger", "_selected_action": [referral.pk for referral in mine]}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:referrals_referral_changelist"), selected),
    )
    assert background == direct and job.ledger == "referrals"
    assert [row[3] for row in background[1:]] == ["王德顺", "王德顺"]
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="referrals",
        queryset=Referral.objects.all(),
        user=people["station"],
    )
    assert [row[3] for row in forged[1:]] == ["王德顺", "王德顺"]  # not the other street's


def test_a_big_volunteer_ledger_is_built_in_the_background_masked(
    client, tree, people, settings, django_capture_on_commit_callbacks
):
    from grids.tests.factories import DistrictFactory
    from referrals.models import Volunteer

    team = make_team(tree["district"], name="红星团")
    make_volunteer(team, name="孙医生", phone="13600002222")
    make_volunteer(team, name="陈志愿")
    make_volunteer(make_team(DistrictFactory(), name="外区团"), name="外区人")
    client.force_login(people["center"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:referrals_volunteer_changelist"), select_all),
    )
    assert background == direct and job.ledger == "referrals:volunteers"
    assert {row[3] for row in background[1:]} == {"孙医生", "陈志愿"}
    assert "136****2222" in {row[4] for row in background[1:]}
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="referrals:volunteers",
        queryset=Volunteer.objects.all(),
        user=people["center"],
    )
    assert {row[3] for row in forged[1:]} == {"孙医生", "陈志愿"}  # not the other district's
