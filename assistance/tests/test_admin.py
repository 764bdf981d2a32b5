from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance.models import CaseStatus, CaseType, HardshipCase, ReliefFund
from assistance.rules import MONEY_RULES
from assistance.services import case_open, case_step, case_type_change, case_type_create, fund_receive
from audit.models import AuditEvent
from core.errors import ApplicationError
from exports.tests.helpers import direct_and_background, forged_rows
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


def test_station_queue_is_scoped_and_moves_cases_on(client, tree):
    worker = make_staff(grids=[tree["grid_a11"]])
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    case_type = CaseType.objects.get(name="临时困难补助")
    mine = case_open(
        veteran=make_veteran(tree["grid_a11"], name="本社区"),
        case_type=case_type,
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested="1000",
        acting_user=worker,
    )
    case_step(case=mine, action="submit", acting_user=worker)
    other_worker = make_staff(grids=[tree["grid_b11"]])
    case_open(
        veteran=make_veteran(tree["grid_b11"], name="外社区"),
        case_type=case_type,
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested="1000",
        acting_user=other_worker,
    )
    client.force_login(station)
    body = client.get(reverse("admin:assistance_hardshipcase_changelist")).content.decode()
    assert "本社区" in body and "外社区" not in body
    client.post(
        reverse("admin:assistance_hardshipcase_changelist"), {"action": "step_review", "_selected_action": [mine.pk]}
    )
    client.post(
        reverse("admin:assistance_hardshipcase_changelist"), {"action": "step_approve", "_selected_action": [mine.pk]}
    )
    mine.refresh_from_db()
    assert mine.status == CaseStatus.APPROVED  # within the station's limit of ¥2,000

    cashier = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="帮扶基金", level="district", district=tree["district"])
    fund_receive(fund=fund, kind="allocation", amount="5000", acting_user=cashier)
    client.force_login(cashier)
    client.post(
        reverse("admin:assistance_hardshipcase_changelist"),
        {"action": "pay_cases", "_selected_action": [mine.pk], "apply": "1", "fund": fund.pk},
    )
    mine.refresh_from_db()
    fund.refresh_from_db()
    assert mine.status == CaseStatus.PAID and fund.balance == Decimal("4000.00")
    body = client.get(reverse("admin:assistance_relieffund_change", args=[fund.pk])).content.decode()
    assert "临时困难补助" in body  # the payment line names the case


def test_grid_worker_has_no_case_admin(client, tree):
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    assert client.get(reverse("admin:assistance_hardshipcase_changelist")).status_code == 302
    assert not HardshipCase.objects.exists()


def test_relief_ledger_and_fund_statement_exports(client, tree):
    from veterans.tests.xlsx_helpers import read_xlsx

    worker = make_staff(grids=[tree["grid_a11"]])
    station = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="帮扶基金", level="district", district=tree["district"])
    fund_receive(
        fund=fund,
        kind="donation",
        amount="300",
        acting_user=station,
        donor_kind="enterprise",
        donor_name="某某公司",
        receipt_no="R-9",
    )
    case = case_open(
        veteran=make_veteran(tree["grid_a11"], name="受助人"),
        case_type=CaseType.objects.get(name="临时困难补助"),
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested="500",
        acting_user=worker,
    )
    client.force_login(station)
    response = client.post(
        reverse("admin:assistance_hardshipcase_changelist"), {"action": "export_ledger", "_selected_action": [case.pk]}
    )
    rows = read_xlsx(b"".join(response.streaming_content))
    assert rows[0][:4] == ["序号", "救助编号", "姓名", "街道/镇"] and rows[1][2] == "受助人"
    response = client.post(
        reverse("admin:assistance_relieffund_changelist"), {"action": "export_statement", "_selected_action": [fund.pk]}
    )
    rows = read_xlsx(b"".join(response.streaming_content))
    assert rows[1][3] == "社会捐赠" and rows[1][6] == "某某公司" and rows[1][7] == "R-9"


def test_station_creates_a_fund_and_records_a_donation_then_prints_the_receipt(client, tree):
    station = make_staff(tree["district"], role=Role.STATION_STAFF)
    client.force_login(station)
    response = client.post(
        reverse("admin:assistance_relieffund_add"),
        {"name": "区帮扶基金", "level": "district", "district": tree["district"].pk, "street": ""},
    )
    fund = ReliefFund.objects.get(name="区帮扶基金")
    assert response.status_code == 302
    response = client.post(
        reverse("admin:assistance_fundentry_add"),
        {
            "fund": fund.pk,
            "kind": "donation",
            "amount": "2000",
            "donor_kind": "enterprise",
            "donor_name": "某企业",
            "receipt_no": "",
            "reference": "",
        },
    )
    entry = fund.entries.get()
    assert response.status_code == 302 and response["Location"] == reverse("assistance:receipt", args=[entry.pk])
    fund.refresh_from_db()
    assert fund.balance == Decimal("2000.00") and entry.receipt_no.startswith("JZ")


def test_an_over_large_amount_in_the_admin_is_refused_beside_its_field(client, tree):
    station = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="基金", level="district", district=tree["district"])
    client.force_login(station)
    response = client.post(
        reverse("admin:assistance_fundentry_add"),
        {
            "fund": fund.pk,
            "kind": "allocation",
            "amount": "-5",
            "donor_kind": "",
            "donor_name": "",
            "receipt_no": "",
            "reference": "",
        },
    )
    assert response.status_code == 200 and "金额必须大于零" in response.content.decode()
    assert not fund.entries.exists()


def test_a_street_cannot_create_a_fund_for_another_street_or_see_its_ledger(client, tree):
    street_staff = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    other = ReliefFund.objects.create(
        name="乙街道基金", level="street", district=tree["district"], street=tree["street_b"]
    )
    fund_receive(
        fund=other, kind="allocation", amount="10", acting_user=make_staff(tree["district"], role=Role.STATION_STAFF)
    )
    client.force_login(street_staff)
    response = client.post(
        reverse("admin:assistance_relieffund_add"),
        {"name": "越界基金", "level": "street", "district": tree["district"].pk, "street": tree["street_b"].pk},
    )
    assert response.status_code == 200 and not ReliefFund.objects.filter(name="越界基金").exists()
    assert "乙街道基金" not in client.get(reverse("admin:assistance_fundentry_changelist")).content.decode()
    assert client.get(reverse("admin:assistance_relieffund_change", args=[other.pk])).status_code == 302


def test_reversal_from_the_admin_needs_a_reason_and_is_recorded(client, tree):
    station = make_staff(tree["district"], role=Role.STATION_STAFF)
    fund = ReliefFund.objects.create(name="基金", level="district", district=tree["district"])
    entry = fund_receive(fund=fund, kind="allocation", amount="300", acting_user=station)
    client.force_login(station)
    url = reverse("admin:assistance_fundentry_changelist")
    client.post(url, {"action": "reverse_entries", "_selected_action": [entry.pk], "apply": "1", "reason": ""})
    assert fund.entries.count() == 1
    client.post(url, {"action": "reverse_entries", "_selected_action": [entry.pk], "apply": "1", "reason": "录错"})
    fund.refresh_from_db()
    assert fund.entries.count() == 2 and fund.balance == Decimal("0.00")


CASE_TYPE_FORM = {
    "name": "测试助学救助", "min_amount": "500", "max_amount": "3000", "yearly_cap": "3000", "special_ceiling": "5000",
    "station_limit": "3000",
}  # fmt: skip


def test_station_adds_a_case_type_that_only_the_bureau_may_approve(client, tree):
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    client.force_login(station)
    page = client.get(reverse("admin:assistance_casetype_add")).content.decode()
    assert 'name="max_amount"' in page and 'name="station_limit"' not in page  # shown read-only
    response = client.post(reverse("admin:assistance_casetype_add"), CASE_TYPE_FORM)
    assert response.status_code == 302
    added = CaseType.objects.get(name="测试助学救助")
    assert added.max_amount == Decimal("3000.00") and added.station_limit == Decimal("0.00")


def test_station_cannot_raise_its_own_approval_limit(client, tree):
    station = make_staff(tree["community_a1"], role=Role.STATION_STAFF)
    case_type = CaseType.objects.get(name="临时困难补助")
    before = {field: getattr(case_type, field) for field in MONEY_RULES}
    client.force_login(station)
    url = reverse("admin:assistance_casetype_change", args=[case_type.pk])
    page = client.get(url).content.decode()
    assert not any(f'name="{field}"' in page for field in MONEY_RULES)
    response = client.post(url, {**CASE_TYPE_FORM, "name": "临时困难补助", "station_limit": "99999"})
    assert response.status_code == 302
    case_type.refresh_from_db()
    assert {field: getattr(case_type, field) for field in MONEY_RULES} == before
    # Nor through the service, whatever page calls it.
    with pytest.raises(ApplicationError, match="由局设定") as error:
        case_type_change(case_type=case_type, acting_user=station, station_limit="99999")
    assert error.value.field == "station_limit"
    case_type.refresh_from_db()
    assert case_type.station_limit == before["station_limit"]


@pytest.mark.parametrize("role", [Role.BUREAU_LEADER, Role.STATION_STAFF])
def test_the_bureau_sets_a_types_limits(client, tree, role):
    bureau = make_staff(tree["district"], role=role)  # the bureau's leader or the district's service center
    case_type = CaseType.objects.get(name="临时困难补助")
    client.force_login(bureau)
    url = reverse("admin:assistance_casetype_change", args=[case_type.pk])
    response = client.post(url, {**CASE_TYPE_FORM, "name": "临时困难补助", "station_limit": "1500"})
    assert response.status_code == 302
    case_type.refresh_from_db()
    assert case_type.station_limit == Decimal("1500.00") and case_type.max_amount == Decimal("3000.00")
    assert AuditEvent.objects.filter(object_id=str(case_type.pk), action="update").exists()


def test_amount_rules_out_of_order_are_refused_beside_the_form(client, tree):
    client.force_login(make_staff(tree["district"], role=Role.STATION_STAFF))
    response = client.post(reverse("admin:assistance_casetype_add"), {**CASE_TYPE_FORM, "yearly_cap": "100"})
    assert response.status_code == 200
    assert not CaseType.objects.filter(name="测试助学救助").exists()


def test_station_may_not_give_a_new_type_an_approval_limit_through_the_service(tree):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    with pytest.raises(ApplicationError, match="服务站可审批金额为零"):
        case_type_create(acting_user=station, **CASE_TYPE_FORM)
    assert not CaseType.objects.filter(name="测试助学救助").exists()


def _case(tree, grid: str, name: str, worker):
    return case_open(
        veteran=make_veteran(tree[grid], name=name),
        case_type=CaseType.objects.get(name="临时困难补助"),
        description="困难",
        reported_on=timezone.localdate(),
        amount_requested="500",
        acting_user=worker,
    )


def test_big_relief_ledgers_are_built_in_the_background_as_the_files_would_be(
    client, tree, settings, django_capture_on_commit_callbacks
):
    from assistance.models import FundEntry

    worker_a, worker_b = make_staff(grids=[tree["grid_a11"]]), make_staff(grids=[tree["grid_b11"]])
    cases = [_case(tree, "grid_a11", "甲受助", worker_a), _case(tree, "grid_a11", "乙受助", worker_a)]
    _case(tree, "grid_b11", "外街道", worker_b)
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(station)
    selected = {"action": "export_ledger", "_selected_action": [case.pk for case in cases]}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:assistance_hardshipcase_changelist"), selected),
    )
    assert background == direct and job.ledger == "assistance:cases"
    assert {row[2] for row in background[1:]} == {"甲受助", "乙受助"}
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="assistance:cases",
        queryset=HardshipCase.objects.all(),
        user=station,
    )
    assert {row[2] for row in forged[1:]} == {"甲受助", "乙受助"}  # not the other street's

    fund = ReliefFund.objects.create(
        name="街道基金", level="street", district=tree["district"], street=tree["street_a"]
    )
    other = ReliefFund.objects.create(
        name="乙街基金", level="street", district=tree["district"], street=tree["street_b"]
    )
    district_station = make_staff(tree["district"], role=Role.STATION_STAFF)
    for each in (fund, other):
        for receipt in ("R-1", "R-2"):
            fund_receive(
                fund=each,
                kind="donation",
                amount="100",
                acting_user=district_station,
                donor_kind="enterprise",
                donor_name="某公司",
                receipt_no=f"{each.pk}-{receipt}",
            )
    selected = {"action": "export_statement", "_selected_action": [fund.pk]}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:assistance_relieffund_changelist"), selected),
    )
    assert background == direct and job.ledger == "assistance:fund_statement"
    assert {row[2] for row in background[1:]} == {"街道基金"}
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="assistance:fund_statement",
        queryset=FundEntry.objects.all(),
        user=station,
    )
    assert [row[2] for row in forged[1:]] == ["街道基金", "街道基金"]
