import datetime
import io
from itertools import zip_longest

from django.urls import reverse
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from honours.models import MeritNotice, Nomination, Selection
from honours.services import merit_notice_deliver, nomination_add, selection_close_nominations

DAY = datetime.timedelta(days=1)
NOTICES = reverse("admin:honours_meritnotice_changelist")


def ledger_records(response) -> list[dict]:
    """The ledger's rows as {header: value}; the workbook must carry its 导出信息 sheet."""
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "导出信息" in book.sheetnames
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    # read-only sheets drop a row's empty cells at its end
    return [dict(zip_longest(header, row)) for row in rows if any(cell is not None for cell in row)]


def test_station_logs_a_received_notice_in_the_admin(client, people, persons, today):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:honours_meritnotice_add"),
        {"family": persons["family"].pk, "soldier_name": "", "unit": "", "merit_kind": "second_class",
         "received_on": today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    notice = MeritNotice.objects.get()
    assert notice.soldier_name == "王小兵" and notice.recorded_by == people["station"]


def test_the_admin_form_refuses_a_future_day_and_another_streets_person(client, people, persons, today):
    client.force_login(people["station"])
    url = reverse("admin:honours_meritnotice_add")
    base = {"soldier_name": "王小兵", "unit": "某部", "merit_kind": "third_class"}
    future = client.post(url, {**base, "family": persons["family"].pk, "received_on": (today + DAY).isoformat()})
    assert future.status_code == 200 and "不能晚于今天" in future.content.decode()
    outside = client.post(url, {**base, "family": persons["theirs"].pk, "received_on": today.isoformat()})
    assert outside.status_code == 200 and not MeritNotice.objects.exists()


def test_delivery_filter_search_and_the_workbench(client, people, persons, receive_notice, today):
    waiting, late = receive_notice(days_ago=2), receive_notice(days_ago=20, soldier_name="赵勇")
    done = receive_notice(days_ago=5, soldier_name="钱进")
    merit_notice_deliver(notice=done, delivered_on=today, delivery_way="home", acting_user=people["worker"])
    receive_notice(family=persons["theirs"], by=people["other_station"])  # street b: not the station's
    client.force_login(people["station"])

    def listed(**params):
        return {n.pk for n in client.get(NOTICES, params).context["cl"].result_list}

    assert listed(delivery="waiting") == {waiting.pk, late.pk}
    assert listed(delivery="urgent") == {late.pk}
    assert listed(delivery="delivered") == {done.pk}
    assert listed(q="赵勇") == {late.pk} and listed(q="刘桂英") == {waiting.pk, late.pk, done.pk}
    page = client.get(reverse("admin:index")).content.decode()
    assert "喜报待送达" in page and f"{NOTICES}?delivery=waiting" in page and f"{NOTICES}?delivery=urgent" in page


def test_ceremony_action_delivers_and_the_ledger_names_the_day(client, people, receive_notice, today):
    notice = receive_notice()
    client.force_login(people["station"])
    client.post(NOTICES, {"action": "deliver_at_ceremony", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.delivered_on == today and notice.delivery_way == "ceremony"
    (row,) = ledger_records(client.post(NOTICES, {"action": "export_ledger", "_selected_action": [notice.pk]}))
    assert row["军属姓名"] == "刘桂英" and row["送达方式"] == "集中颁发"
    assert row["送达日期"] == datetime.datetime.combine(today, datetime.time())


def test_selection_counts_and_inline_stay_in_the_stations_street(client, people, persons, open_selection, today):
    selection = open_selection()
    for person, user in ((persons["veteran"], people["station"]), (persons["theirs"], people["other_station"])):
        nomination_add(selection=selection, veteran=person, nominated_by="社区", reason="事迹", acting_user=user)
    client.force_login(people["station"])
    listed = client.get(reverse("admin:honours_selection_changelist")).context["cl"].result_list
    assert [(s.nominated_count, s.selected_count) for s in listed] == [(1, 0)]
    page = client.get(reverse("admin:honours_selection_change", args=[selection.pk])).content.decode()
    assert "王德顺" in page and "李长青" not in page
    client.force_login(people["leader"])
    listed = client.get(reverse("admin:honours_selection_changelist")).context["cl"].result_list
    assert [s.nominated_count for s in listed] == [2]


def test_decide_action_and_the_selection_ledger(client, people, persons, open_selection, today):
    selection = open_selection()
    nomination = nomination_add(
        selection=selection, veteran=persons["veteran"], nominated_by="甲社区", reason="创业带头人",
        acting_user=people["station"],
    )  # fmt: skip
    client.force_login(people["station"])
    url = reverse("admin:honours_nomination_changelist")
    client.post(url, {"action": "decide_selected", "_selected_action": [nomination.pk]})
    nomination.refresh_from_db()
    assert nomination.status == "nominated"  # still taking nominations: refused
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    client.post(url, {"action": "decide_selected", "_selected_action": [nomination.pk]})
    nomination.refresh_from_db()
    assert nomination.status == "selected" and nomination.decided_on == today
    changelist = reverse("admin:honours_selection_changelist")
    (row,) = ledger_records(client.post(changelist, {"action": "export_ledger", "_selected_action": [selection.pk]}))
    assert row["姓名"] == "王德顺" and row["结果"] == "当选" and row["推荐单位"] == "甲社区"


def test_nomination_form_offers_only_open_rounds(client, people, persons, open_selection):
    open_round, closed = open_selection(), open_selection(kind="other", name="已截止")
    selection_close_nominations(selection=closed, acting_user=people["leader"])
    client.force_login(people["station"])
    form = client.get(reverse("admin:honours_nomination_add")).context["adminform"].form
    assert list(form.fields["selection"].queryset) == [open_round]
    response = client.post(
        reverse("admin:honours_nomination_add"),
        {"selection": open_round.pk, "veteran": persons["veteran"].pk, "nominated_by": "甲社区", "reason": "事迹",
         "nominated_on": "2026-01-01" if open_round.year == 2026 else f"{open_round.year}-01-01"},
    )  # fmt: skip
    assert response.status_code == 302 and Nomination.objects.count() == 1


def test_grid_workers_have_no_honours_admin(client, people):
    client.force_login(people["worker"])
    assert client.get(NOTICES).status_code in {302, 403}


def test_changelists_run_a_bounded_number_of_queries(client, people, receive_notice, django_assert_max_num_queries):
    for days in range(5):
        receive_notice(days_ago=days)
    client.force_login(people["station"])
    with django_assert_max_num_queries(25):
        assert client.get(NOTICES).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("admin:honours_nomination_changelist")).status_code == 200


def test_the_district_center_opens_a_round_in_the_admin(client, tree, people, today):
    client.force_login(people["center"])
    url = reverse("admin:honours_selection_add")
    assert client.get(url).status_code == 200
    body = {"name": "年度和谐光荣之家", "kind": "harmonious_home", "level": "city", "year": today.year,
            "district": tree["district"].pk, "nomination_deadline": (today + DAY).isoformat()}  # fmt: skip
    assert client.post(url, body).status_code == 302
    assert Selection.objects.get().created_by == people["center"]
    client.force_login(people["station"])  # a street station may not choose the district
    assert client.post(url, {**body, "name": "另一轮"}).status_code in {200, 403}
    assert Selection.objects.count() == 1


def test_big_honours_ledgers_are_built_in_the_background_as_the_files_would_be(
    client, tree, people, persons, open_selection, receive_notice, settings, django_capture_on_commit_callbacks
):
    from veterans.tests.factories import make_survivor

    selection = open_selection()
    for person, user in ((persons["veteran"], people["station"]), (persons["theirs"], people["other_station"])):
        nomination_add(selection=selection, veteran=person, nominated_by="社区", reason="事迹", acting_user=user)
    client.force_login(people["station"])
    chosen = {"action": "export_ledger", "_selected_action": [selection.pk]}
    changelist = reverse("admin:honours_selection_changelist")
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(changelist, chosen)
    )
    assert background == direct and job.ledger == "honours:nominations"
    assert [row[5] for row in background[1:]] == ["王德顺"]  # not the other street's nominee
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="honours:nominations",
        queryset=Nomination.objects.all(),
        user=people["station"],
    )
    assert [row[5] for row in forged[1:]] == ["王德顺"]

    receive_notice()
    receive_notice(days_ago=5, soldier_name="王二兵")
    theirs = make_survivor(
        tree["grid_b11"],
        name="外街军属",
        person_kind="serving_family",
        soldier={"name": "赵兵", "unit": "某部", "relation": "child"},
    )
    receive_notice(family=theirs, by=people["other_station"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(NOTICES, select_all)
    )
    assert background == direct and job.ledger == "honours:merit_notices"
    assert [row[2] for row in background[1:]] == ["刘桂英", "刘桂英"]
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="honours:merit_notices",
        queryset=MeritNotice.objects.all(),
        user=people["station"],
    )
    assert [row[2] for row in forged[1:]] == ["刘桂英", "刘桂英"]
