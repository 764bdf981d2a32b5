import io

import openpyxl
import pytest
from django.test import Client

from audit.models import AuditAction, AuditEvent
from confirmations.models import Confirmation, ConfirmationStatus, SpotCheck
from confirmations.services import subsidies_suspend_overdue
from confirmations.tests.conftest import YEAR
from exports.tests.helpers import direct_and_background, forged_rows
from grids.scoping import SYSTEM

URL = "/admin/confirmations/confirmation/"
QUERIES = 12


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile)
    return client


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.OTP_REQUIRED = False


def test_station_lists_its_area_by_state(round_, people, veterans):
    import datetime

    subsidies_suspend_overdue(day=datetime.date(YEAR, 7, 1), acting_user=SYSTEM)
    page = _client(people["station"]).get(URL, {"state": "suspended"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "王德顺" in text and "赵援朝" in text and "李长青" not in text


def test_confirm_in_person_action(round_, people, veterans):
    row = Confirmation.objects.get(veteran=veterans["mine"])
    theirs = Confirmation.objects.get(veteran=veterans["theirs"])
    response = _client(people["station"]).post(
        URL, {"action": "confirm_in_person", "_selected_action": [row.pk, theirs.pk]}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    theirs.refresh_from_db()
    assert (row.status, row.method, row.confirmed_by) == ("confirmed", "in_person", people["station"])
    assert theirs.status == ConfirmationStatus.PENDING  # out of scope: not even selectable


def test_start_spot_check_action(round_, people, veterans):
    row = Confirmation.objects.get(veteran=veterans["mine"])
    client = _client(people["station"])
    client.post(URL, {"action": "confirm_in_person", "_selected_action": [row.pk]})
    client.post(URL, {"action": "start_spot_check", "_selected_action": [row.pk]})
    assert SpotCheck.objects.get().confirmation == row


def test_ledger_export_is_audited(round_, people, veterans):
    rows = list(Confirmation.objects.filter(street=veterans["mine"].street).values_list("pk", flat=True))
    response = _client(people["station"]).post(URL, {"action": "export_ledger", "_selected_action": rows})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "年度确认台账" in values or "年度" in values
    assert "王德顺" in values and "李长青" not in values
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__ledger="confirmations").exists()


def test_the_list_costs_a_fixed_number_of_queries(round_, people, tree, django_assert_max_num_queries):
    from confirmations.services import confirmation_round_open
    from veterans.tests.factories import make_veteran

    for i in range(5):
        make_veteran(tree["grid_a12"], name=f"受助{i}", receives_regular_subsidy=True)
    confirmation_round_open(district=tree["district"], year=YEAR, acting_user=SYSTEM)
    client = _client(people["station"])
    client.get(URL)  # warm the session and the scope
    with django_assert_max_num_queries(QUERIES):
        page = client.get(URL)
    assert page.status_code == 200 and page.content.decode().count("受助") >= 5


def _one_spot_check(people, veterans):
    from confirmations.services import confirmation_confirm, spot_check_start

    confirmation_confirm(veteran=veterans["mine"], method="in_person", year=YEAR, acting_user=people["station"])
    (check,) = spot_check_start(year=YEAR, share=1, seed=1, acting_user=people["station2"])
    return check


def test_a_spot_check_fails_in_the_admin_with_a_reason_and_suspends(round_, people, veterans):
    from confirmations.models import SubsidySuspension

    check = _one_spot_check(people, veterans)
    client = _client(people["station2"])
    url = "/admin/confirmations/spotcheck/"
    asked = client.post(url, {"action": "record_failed", "_selected_action": [check.pk]})
    assert asked.status_code == 200 and "王德顺" in asked.content.decode()
    check.refresh_from_db()
    assert check.status == "pending" and not SubsidySuspension.objects.exists()
    done = client.post(
        url, {"action": "record_failed", "_selected_action": [check.pk], "apply": "1", "reason": "查无此人"}
    )
    assert done.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.reason, check.checked_by) == ("failed", "查无此人", people["station2"])
    assert SubsidySuspension.objects.get().reason == "spot_check"


def test_the_first_confirmer_cannot_pass_the_spot_check_in_the_admin(round_, people, veterans):
    check = _one_spot_check(people, veterans)
    _client(people["station"]).post(
        "/admin/confirmations/spotcheck/", {"action": "record_passed", "_selected_action": [check.pk]}
    )
    check.refresh_from_db()
    assert check.status == "pending" and check.checked_by is None


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    round_, people, veterans, settings, django_capture_on_commit_callbacks
):
    import datetime

    subsidies_suspend_overdue(day=datetime.date(YEAR, 7, 1), acting_user=SYSTEM)
    client = _client(people["station"])
    select_all = {"action": "export_ledger", "select_across": "1", "_selected_action": ["0"], "index": "0"}
    direct, background, job = direct_and_background(
        settings, django_capture_on_commit_callbacks, lambda: client.post(URL, select_all)
    )
    assert background == direct and job.ledger == "confirmations"
    assert {row[2] for row in background[1:]} == {"王德顺", "赵援朝"}
    assert all(row[12] for row in background[1:])  # the suspension's day, read with the rows
    forged = forged_rows(
        django_capture_on_commit_callbacks,
        ledger_key="confirmations",
        queryset=Confirmation.objects.all(),
        user=people["station"],
    )
    assert {row[2] for row in forged[1:]} == {"王德顺", "赵援朝"}


def test_the_ledger_reads_a_fixed_number_of_queries(round_, people, veterans, django_assert_num_queries):
    import datetime

    from confirmations.exports import LEDGER
    from exports.registry import Requester

    subsidies_suspend_overdue(day=datetime.date(YEAR, 7, 1), acting_user=SYSTEM)
    with django_assert_num_queries(2):  # the rows, then their suspensions
        rows = list(LEDGER.rows(Confirmation.objects.all(), Requester(people["station"])))
    assert len(rows) == 3
