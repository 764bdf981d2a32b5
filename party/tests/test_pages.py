"""The admin lists, the desk page, the ledgers, the workbench and the phone's contact form."""

import datetime
import io
import uuid

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from grids.scoping import SYSTEM
from party.models import FollowUp, FollowUpStep
from party.services import followup_open, life_record, membership_add
from party.tests.conftest import DAY


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)], book.sheetnames


def test_station_opens_a_follow_up_in_the_admin_and_lands_on_the_desk(client, members, people):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:party_followup_add"), {"person": members["pocket"].pk, "opened_on": DAY.isoformat()}
    )
    follow_up = FollowUp.objects.get()
    assert response.status_code == 302 and response.url == reverse("party:followup", args=[follow_up.pk])


def test_the_admin_refuses_a_non_member_with_the_services_message(client, members, people):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:party_followup_add"), {"person": members["not_member"].pk, "opened_on": DAY.isoformat()}
    )
    assert response.status_code == 200 and "不是中共党员" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_desk_page_takes_a_step_and_brings_the_member_in(client, members, people, branches):
    follow_up = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    client.force_login(people["station"])
    page = client.get(reverse("party:followup", args=[follow_up.pk]))
    assert 'data-step="bring_in"' in page.content.decode()
    client.post(
        reverse("party:followup_step", args=[follow_up.pk, "step"]),
        {"on": DAY.isoformat(), "kind": "documents", "note": "收到组织关系介绍信"},
    )
    client.post(
        reverse("party:followup_step", args=[follow_up.pk, "bring_in"]),
        {"organisation": branches["a1"].pk, "joined_on": DAY.isoformat(), "closed_on": DAY.isoformat()},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "closed" and follow_up.steps.get().note == "收到组织关系介绍信"


def test_the_desk_page_of_another_area_is_not_found(client, members, people):
    theirs = followup_open(person=members["mobile"], acting_user=SYSTEM)
    client.force_login(people["station"])
    assert client.get(reverse("party:followup", args=[theirs.pk])).status_code == 404


def test_the_members_ledger_lists_relation_and_organisation(client, members, people, branches):
    membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    client.force_login(people["station"])
    changelist = reverse("admin:party_partymember_changelist")
    ids = [members["pocket"].pk, members["in_place"].pk]
    response = client.post(changelist, {"action": "export_ledger", "_selected_action": ids})
    rows, sheets = _sheet(response)
    assert sheets[-1] == "导出信息"
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["赵振华"][7:9] == ["组织关系已转入", "a1社区退役军人党支部"]
    assert by_name["王德顺"][7:9] == ["口袋党员", "尚未纳入"]


def test_the_life_ledger_counts_attendance(client, members, people, branches):
    membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    life = life_record(organisation=branches["a1"], kind="lecture", held_on=DAY, topic="学党章", acting_user=SYSTEM)
    client.force_login(people["station"])
    change = reverse("admin:party_organisationlife_change", args=[life.pk])
    attendance = life.attendance.get()
    form = {
        "kind": "lecture", "held_on": DAY.isoformat(), "topic": "学党章",
        "attendance-TOTAL_FORMS": "1", "attendance-INITIAL_FORMS": "1",
        "attendance-0-id": attendance.pk, "attendance-0-life": life.pk, "attendance-0-status": "present",
    }  # fmt: skip
    response = client.post(change, form)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attendance.refresh_from_db()
    assert attendance.status == "present"
    changelist = reverse("admin:party_organisationlife_changelist")
    rows, _sheets = _sheet(client.post(changelist, {"action": "export_ledger", "_selected_action": [life.pk]}))
    assert rows[1][1:] == [
        datetime.datetime(DAY.year, DAY.month, DAY.day),
        "a1社区退役军人党支部",
        "党课",
        "学党章",
        1,
        1,
        0,
        0,
    ]


def test_the_workbench_counts_my_open_and_the_overdue_follow_ups(client, members, people):
    long_ago = timezone.localdate() - datetime.timedelta(days=45)
    followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=long_ago, assigned_to=people["station"])
    client.force_login(people["station"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "我负责的党员跟进" in page and "跟进超过30天未纳入" in page
    mine = client.get(reverse("admin:party_followup_changelist"), {"status__exact": "open", "assigned": "me"})
    overdue = client.get(reverse("admin:party_followup_changelist"), {"overdue": "yes"})
    assert mine.context["cl"].result_count == 1 and overdue.context["cl"].result_count == 1


def test_the_organisation_list_counts_members(client, members, people, branches):
    membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    client.force_login(people["station"])
    response = client.get(reverse("admin:party_partyorganisation_changelist"))
    rows = list(response.context["cl"].result_list)
    assert [(o.name, o.member_count) for o in rows] == [("a1社区退役军人党支部", 1)]


def test_the_card_offers_the_contact_form_and_it_records_once(client, members, people):
    follow_up = followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    client.force_login(people["worker"])
    card = client.get(reverse("mobile:card", args=[members["pocket"].pk])).content.decode()
    url = reverse("party_mobile:contact", args=[members["pocket"].pk])
    assert url in card
    form = {"on": DAY.isoformat(), "note": "上门联系，本人同意转入", "client_id": str(uuid.uuid4())}
    first = client.post(url, form, headers={"X-Queue": "1"})
    second = client.post(url, form, headers={"X-Queue": "1"})
    assert first.json()["status"] == "stored" and second.json()["status"] == "stored"
    step = FollowUpStep.objects.get()
    assert step.follow_up == follow_up and step.kind == "contact" and step.recorded_by == people["worker"]


def test_the_contact_form_refuses_a_future_day_and_other_grids(client, members, people):
    followup_open(person=members["pocket"], acting_user=SYSTEM, opened_on=DAY)
    followup_open(person=members["mobile"], acting_user=SYSTEM, opened_on=DAY)
    client.force_login(people["worker"])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    url = reverse("party_mobile:contact", args=[members["pocket"].pk])
    response = client.post(url, {"on": tomorrow, "note": "x"})
    assert "联系日期" in response.content.decode() or "不能晚于今天" in response.content.decode()
    assert client.get(reverse("party_mobile:contact", args=[members["mobile"].pk])).status_code == 404
    assert not FollowUpStep.objects.exists()


def test_a_station_adds_an_organisation_of_its_own_area_only(client, tree, people):
    from party.models import PartyOrganisation

    client.force_login(people["station"])
    add = reverse("admin:party_partyorganisation_add")
    form = {"name": "a2社区退役军人党支部", "kind": "branch", "community": tree["community_a2"].pk, "active": "on"}
    response = client.post(add, form)
    assert response.status_code == 302
    made = PartyOrganisation.objects.get()
    assert (made.district, made.street, made.community) == (tree["district"], tree["street_a"], tree["community_a2"])
    response = client.post(add, {**form, "name": "b2社区党支部", "community": tree["community_b2"].pk})
    assert response.status_code == 200 and PartyOrganisation.objects.count() == 1


def test_big_party_ledgers_are_built_in_the_background_as_the_files_would_be(
    client, members, people, branches, settings, django_capture_on_commit_callbacks
):
    from party.models import OrganisationLife, PartyMember

    membership_add(person=members["in_place"], organisation=branches["a1"], joined_on=DAY, acting_user=SYSTEM)
    followup_open(person=members["pocket"], acting_user=SYSTEM)
    client.force_login(people["station"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    members_list = reverse("admin:party_partymember_changelist")
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(members_list, select_all)
    )
    assert background == direct and job.ledger == "party:members"
    by_name = {row[1]: row for row in background[1:]}
    assert set(by_name) == {"王德顺", "赵振华"}  # party members of the street only
    assert by_name["赵振华"][8] == "a1社区退役军人党支部" and by_name["王德顺"][9] == "跟进中"
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="party:members",
        queryset=PartyMember.objects.all(),
        user=people["station"],
    )
    assert {row[1] for row in forged[1:]} <= {"王德顺", "赵振华", "孙海"}  # never the other street's
    assert "李长青" not in {row[1] for row in forged[1:]}

    for organisation, topic in ((branches["a1"], "学党章"), (branches["a1"], "学党史"), (branches["b1"], "外支部")):
        life_record(organisation=organisation, kind="lecture", held_on=DAY, topic=topic, acting_user=SYSTEM)
    life_list = reverse("admin:party_organisationlife_changelist")
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(life_list, select_all)
    )
    assert background == direct and job.ledger == "party:life"
    assert [row[4] for row in background[1:]] == ["学党章", "学党史"]
    assert background[1][5] == 1  # the member counted as expected
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="party:life",
        queryset=OrganisationLife.objects.all(),
        user=people["station"],
    )
    assert [row[4] for row in forged[1:]] == ["学党章", "学党史"]
