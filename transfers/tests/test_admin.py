import io

from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from exports.tests.helpers import direct_and_background, forged_rows
from transfers.models import Transfer, TransferStatus
from transfers.services import transfer_start
from transfers.tests.factories import make_transfer
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

CHANGELIST = "admin:transfers_transfer_changelist"


def _change(transfer):
    return reverse("admin:transfers_transfer_change", args=[transfer.pk])


def test_both_sides_list_the_transfer_with_direction_filters(client, areas):
    outgoing = make_transfer(areas)
    incoming = transfer_start(
        veteran=make_veteran(areas["away"], name="孙回迁"),
        to_grid=areas["home"],
        reason="回迁",
        acting_user=areas["receiver"],
    )
    client.force_login(areas["sender"])
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert "王迁移" in body and "孙回迁" in body
    body = client.get(reverse(CHANGELIST) + "?direction=out").content.decode()
    assert "王迁移" in body and "孙回迁" not in body
    body = client.get(reverse(CHANGELIST) + "?direction=in&status__exact=pending").content.decode()
    assert "孙回迁" in body and "王迁移" not in body
    client.force_login(areas["far_center"])
    body = client.get(reverse(CHANGELIST)).content.decode()
    assert "王迁移" not in body and "孙回迁" not in body
    assert outgoing.pk != incoming.pk


def test_station_starts_a_transfer_from_the_add_page(client, areas):
    veteran = make_veteran(areas["home"], name="周迁出")
    client.force_login(areas["sender"])
    page = client.get(reverse("admin:transfers_transfer_add")).content.decode()
    assert areas["far"].name in page  # any grid of the installation, by name
    response = client.post(
        reverse("admin:transfers_transfer_add"),
        {"veteran": veteran.pk, "to_grid": areas["far"].pk, "reason": "异地养老"},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.veteran, transfer.to_grid, transfer.started_by) == (veteran, areas["far"], areas["sender"])


def test_add_page_refuses_a_person_out_of_scope(client, areas):
    veteran = make_veteran(areas["away"], name="吴越界")
    client.force_login(areas["sender"])
    response = client.post(
        reverse("admin:transfers_transfer_add"),
        {"veteran": veteran.pk, "to_grid": areas["home"].pk, "reason": "x"},
    )
    assert response.status_code == 200 and Transfer.objects.count() == 0


def test_receiver_accepts_from_the_change_page(client, areas):
    transfer = make_transfer(areas)
    client.force_login(areas["receiver"])
    page = client.get(_change(transfer)).content.decode()
    assert "接收档案" in page and "王迁移" in page
    response = client.post(_change(transfer), {"_accept": "1"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert Veteran.objects.get(pk=transfer.veteran_id).grid == areas["away"]


def test_receiver_rejects_from_the_change_page_and_a_blank_reason_is_refused(client, areas):
    transfer = make_transfer(areas)
    client.force_login(areas["receiver"])
    client.post(_change(transfer), {"_reject": "1", "reject_reason": ""})
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING
    client.post(_change(transfer), {"_reject": "1", "reject_reason": "地址有误"})
    transfer.refresh_from_db()
    assert (transfer.status, transfer.reject_reason) == (TransferStatus.REJECTED, "地址有误")


def test_sender_sees_no_decide_buttons_and_cannot_accept(client, areas):
    transfer = make_transfer(areas)
    client.force_login(areas["sender"])
    assert "接收档案" not in client.get(_change(transfer)).content.decode()
    client.post(_change(transfer), {"_accept": "1"})
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


def test_stranger_cannot_open_or_accept(client, areas):
    transfer = make_transfer(areas)
    client.force_login(areas["far_center"])
    response = client.get(_change(transfer))
    assert response.status_code in (302, 404) and "王迁移" not in response.content.decode()
    client.post(_change(transfer), {"_accept": "1"})
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


def test_ledger_export_is_audited(client, areas):
    transfer = make_transfer(areas)
    client.force_login(areas["receiver"])
    response = client.post(reverse(CHANGELIST), {"action": "export_ledger", "_selected_action": [transfer.pk]})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "王迁移" and "*" in rows[1][3]
    assert AuditEvent.objects.filter(action="export", actor=areas["receiver"], detail__ledger="transfers").exists()


def test_changelist_runs_a_bounded_number_of_queries(client, areas, django_assert_max_num_queries):
    for _ in range(3):
        make_transfer(areas, veteran=make_veteran(areas["home"]))
    client.force_login(areas["sender"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200 and response.content.decode().count("张建国") >= 3


def test_a_big_ledger_is_built_in_the_background_for_both_ends_of_a_transfer(
    client, areas, settings, django_capture_on_commit_callbacks
):
    make_transfer(areas)
    make_transfer(areas, veteran=make_veteran(areas["home"], name="李迁移"))
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    for side in ("sender", "receiver"):
        client.force_login(areas[side])
        direct, background, job = direct_and_background(
            settings, django_capture_on_commit_callbacks, lambda: client.post(reverse(CHANGELIST), select_all)
        )
        assert background == direct and job.requested_by == areas[side]
        assert {row[2] for row in background[1:]} == {"王迁移", "李迁移"}  # the receiving side's too
        assert all("*" in row[3] for row in background[1:])  # ID numbers masked
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="transfers",
        queryset=Transfer.objects.all(),
        user=areas["far_center"],
    )
    assert forged[1:] == []  # another district's transfers, whatever the query
