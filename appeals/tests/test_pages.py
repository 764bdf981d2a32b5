"""Desk, phone and admin pages: highlighting, steps, exports, and the boundary between areas."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from appeals.models import Appeal, AppealNote, AppealStatus
from exports.tests.helpers import direct_and_background, forged_rows

LONG_AGO = datetime.date(2026, 10, 12)


def test_the_station_list_highlights_overdue_appeals_and_counts_them(client, open_appeal, people, veterans):
    late = open_appeal(received_on=LONG_AGO)
    fresh = open_appeal(received_on=datetime.date.today())
    open_appeal(veteran=veterans["theirs"], by=people["other_worker"])
    client.force_login(people["station"])
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{reverse("appeals:detail", args=[late.pk])}">' in page and "超期" in page
    assert "李长青" not in page  # street b
    assert response.context["counts"]["overdue"] == 1
    overdue_only = client.get(reverse("appeals:list"), {"urgency": "overdue"})
    assert [a.pk for a in overdue_only.context["page"]] == [late.pk]
    assert fresh.pk not in [a.pk for a in overdue_only.context["page"]]


def test_the_list_costs_a_fixed_number_of_queries(client, open_appeal, people, django_assert_max_num_queries):
    for _ in range(12):
        open_appeal()
    client.force_login(people["station"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("appeals:list")).status_code == 200


def test_the_station_takes_steps_on_the_desk_page(client, open_appeal, people):
    appeal = open_appeal()
    client.force_login(people["station"])
    page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert set(page.context["step_forms"]) == {"note", "assign", "resolve", "cancel"}
    url = reverse("appeals:step", args=[appeal.pk, "assign"])
    client.post(url, {"handler": people["worker"].pk, "note": "请上门了解"})
    appeal.refresh_from_db()
    assert appeal.handler == people["worker"] and appeal.status == AppealStatus.IN_PROGRESS
    refused = client.post(
        reverse("appeals:step", args=[appeal.pk, "resolve"]), {"resolution": "", "resolved_on": ""}, follow=True
    )
    assert "办理结果：该字段是必填项。" in [str(m) for m in refused.context["messages"]]
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_PROGRESS


def test_desk_pages_of_another_street_are_not_found(client, open_appeal, people):
    appeal = open_appeal()
    client.force_login(people["other_station"])
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    response = client.post(reverse("appeals:step", args=[appeal.pk, "cancel"]), {"reason": "越界"})
    assert response.status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.ACCEPTED


def test_the_ledger_export_holds_only_the_users_area(client, open_appeal, people, veterans):
    open_appeal(received_on=LONG_AGO)
    open_appeal(veteran=veterans["theirs"], by=people["other_worker"])
    client.force_login(people["station"])
    response = client.get(reverse("appeals:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert [row[3] for row in rows] == ["王德顺"]  # after 序号 and 编号, 受理日期
    assert rows[0][14].startswith("超期")


def test_a_grid_worker_takes_an_appeal_in_from_the_veteran_card(client, people, veterans, question):
    client.force_login(people["worker"])
    card = client.get(reverse("mobile:card", args=[veterans["mine"].pk])).content.decode()
    new_url = reverse("appeals_mobile:new", args=[veterans["mine"].pk])
    assert new_url in card
    response = client.post(
        new_url,
        {
            "category": question.pk,
            "channel": "visit",
            "subject": "孙子入学",
            "content": "咨询优待政策",
            "received_on": datetime.date.today().isoformat(),
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("appeals_mobile:detail", args=[appeal.pk])
    assert appeal.opened_by == people["worker"] and appeal.channel == "visit"


def test_a_bad_form_on_the_phone_says_what_is_wrong_and_saves_nothing(client, people, veterans, question):
    client.force_login(people["worker"])
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("appeals_mobile:new", args=[veterans["mine"].pk]),
        {
            "category": question.pk,
            "channel": "visit",
            "subject": "x",
            "content": "y",
            "received_on": future,
        },
    )
    assert response.status_code == 200 and "受理日期不能晚于今天" in response.content.decode()
    assert not Appeal.objects.exists()


def test_the_phone_list_puts_overdue_first_and_records_the_return_visit(client, open_appeal, people):
    fresh = open_appeal(received_on=datetime.date.today())
    late = open_appeal(received_on=LONG_AGO)
    client.force_login(people["worker"])
    listing = client.get(reverse("appeals_mobile:list"))
    assert [a.pk for a in listing.context["page"]] == [late.pk, fresh.pk]
    assert "超期" in listing.content.decode()
    client.post(reverse("appeals_mobile:action", args=[late.pk, "note"]), {"text": "已上门"})
    assert AppealNote.objects.filter(appeal=late, kind="progress").exists()
    late.status, late.resolved_on = AppealStatus.RESOLVED, datetime.date.today()
    late.save()
    client.post(reverse("appeals_mobile:action", args=[late.pk, "feedback"]), {"satisfaction": "satisfied"})
    assert Appeal.objects.get(pk=late.pk).status == AppealStatus.CLOSED


def test_phone_pages_of_another_grid_are_not_found(client, open_appeal, people, veterans):
    appeal = open_appeal()
    client.force_login(people["other_worker"])
    assert client.get(reverse("appeals_mobile:detail", args=[appeal.pk])).status_code == 404
    assert client.post(reverse("appeals_mobile:action", args=[appeal.pk, "note"]), {"text": "x"}).status_code == 404
    assert client.get(reverse("appeals_mobile:new", args=[veterans["mine"].pk])).status_code == 404
    assert not AppealNote.objects.filter(kind="progress").exists()


def test_the_admin_lists_only_the_station_area_and_adds_through_the_service(
    client, open_appeal, people, veterans, question
):
    mine = open_appeal()
    theirs = open_appeal(veteran=veterans["theirs"], by=people["other_worker"])
    client.force_login(people["station"])
    listing = client.get(reverse("admin:appeals_appeal_changelist"))
    assert [a.pk for a in listing.context["cl"].result_list] == [mine.pk]
    assert client.get(reverse("admin:appeals_appeal_change", args=[theirs.pk])).status_code == 302
    response = client.post(
        reverse("admin:appeals_appeal_add"),
        {
            "veteran": veterans["mine"].pk,
            "category": question.pk,
            "channel": "station",
            "subject": "来站咨询",
            "content": "咨询",
            "received_on": datetime.date.today().isoformat(),
            "handler": "",
        },
    )
    added = Appeal.objects.get(subject="来站咨询")
    assert response["Location"] == reverse("appeals:detail", args=[added.pk])
    assert added.notes.filter(kind="accept").exists()
    refused = client.post(
        reverse("admin:appeals_appeal_add"),
        {
            "veteran": veterans["theirs"].pk,
            "category": question.pk,
            "channel": "station",
            "subject": "越界",
            "content": "x",
            "received_on": datetime.date.today().isoformat(),
        },
    )
    assert refused.status_code == 200 and not Appeal.objects.filter(subject="越界").exists()


def test_stations_add_a_category_with_its_deadline(client, people):
    client.force_login(people["station"])
    client.post(
        reverse("admin:appeals_appealcategory_add"),
        {
            "name": "退役金发放",
            "kind": "request",
            "deadline_days": 7,
            "checklist": "",
            "active": "on",
        },
    )
    from appeals.models import AppealCategory

    assert AppealCategory.objects.get(name="退役金发放").deadline_days == 7


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    client, open_appeal, people, veterans, settings, django_capture_on_commit_callbacks
):
    open_appeal(received_on=LONG_AGO)
    open_appeal()
    open_appeal(veteran=veterans["theirs"], by=people["other_worker"])
    client.force_login(people["station"])
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.get(reverse("appeals:export"))
    )
    assert background == direct and job.ledger == "appeals"
    assert [row[3] for row in background[1:]] == ["王德顺", "王德顺"]
    forged = forged_rows(
        django_capture_on_commit_callbacks, ledger_key="appeals", queryset=Appeal.objects.all(), user=people["station"]
    )
    assert [row[3] for row in forged[1:]] == ["王德顺", "王德顺"]  # not the other street's 李长青


def test_the_admin_export_over_the_limit_starts_a_job(
    client, open_appeal, people, settings, django_capture_on_commit_callbacks
):
    appeals = [open_appeal(), open_appeal()]
    client.force_login(people["station"])
    selected = {"action": "export_ledger", "_selected_action": [appeal.pk for appeal in appeals]}
    direct, background, _job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:appeals_appeal_changelist"), selected),
    )
    assert background == direct and len(background) == 3
