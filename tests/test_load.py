"""`make load`'s pieces that run without locust: the accounts it logs in with, what its simulated
people read off the real pages (and that the form they fill in is accepted), and its verdict."""

import json
from collections import Counter

import pytest
from django.test import Client

from bench.load_accounts import load_accounts
from bench.load_pages import drill_links, form_fields, overdue_links, veteran_ids
from bench.load_report import histogram_percentile, main, summarize
from grids.demo import DEMO_PASSWORD, build_demo_area
from grids.models import Grid, Role, StaffProfile
from veterans.tests.factories import make_veteran
from visits.models import Visit


@pytest.fixture
def demo(db):
    """A small demo area (2 streets, 3 communities, 4 grids, 2 workers each); veterans in two grids."""
    build_demo_area(streets=2, communities=3, grids=4, workers_per_grid=2)
    grids = list(Grid.objects.order_by("code"))
    people = [
        make_veteran(grids[0], name="张建国"),
        make_veteran(grids[0], name="李卫国"),
        make_veteran(grids[2], name="王志强"),
    ]
    return {"grids": grids, "veterans": people}


def login(username: str, landing: str) -> tuple[Client, str]:
    """As the simulated person does: the real login form, its CSRF token, then the landing page."""
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/accounts/login/",
        {"username": username, "password": DEMO_PASSWORD, "next": landing, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = browser.get(landing)
    assert page.status_code == 200
    return browser, page.content.decode()


def test_accounts_are_workers_of_grids_with_veterans_then_leaders_and_stations(demo):
    accounts = load_accounts()
    grid_of = {p.user.username: set(p.grids.values_list("pk", flat=True)) for p in StaffProfile.objects.all()}
    with_veterans = {demo["grids"][0].pk, demo["grids"][2].pk}
    assert len(accounts["workers"]) == 4 == len(set(accounts["workers"]))  # 2 grids × 2 workers, each once
    assert all(grid_of[username] <= with_veterans for username in accounts["workers"])
    # the grid with the most veterans first, its two workers together: they share a due list
    assert grid_of[accounts["workers"][0]] == grid_of[accounts["workers"][1]] == {demo["grids"][0].pk}
    roles = dict(StaffProfile.objects.values_list("user__username", "role"))
    assert {roles[u] for u in accounts["leaders"]} == {Role.BUREAU_LEADER, Role.STATION_STAFF}
    assert accounts["leaders"][:2] == ["city_leader", "leader"]
    assert len(accounts["leaders"]) == len(set(accounts["leaders"])) == 2 + 1 + 2 + 3  # + center, streets, communities
    assert accounts["password"] == DEMO_PASSWORD
    # Leaders and stations need a second factor: each load account carries the demo authenticator.
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user__username__in=accounts["leaders"], confirmed=True)
    assert devices.count() == len(accounts["leaders"])
    code = TOTP(bytes.fromhex(accounts["totp_key"])).token()
    assert all(device.verify_token(code) for device in devices)


def test_worker_reads_the_due_list_and_its_visit_form_is_accepted(demo):
    username = load_accounts()["workers"][0]
    browser, due_list = login(username, "/m/")
    assert set(veteran_ids(due_list)) == {v.pk for v in demo["veterans"][:2]}
    veteran = demo["veterans"][0]
    form = browser.get(f"/m/v/{veteran.pk}/visit/").content.decode()
    fields = form_fields(form, "visit-form")
    assert {"csrfmiddlewaretoken", "client_id", "visited_at", "method", "kind", "money"} <= fields.keys()
    assert "photos" not in fields and "follow_up_needed" not in fields  # empty file input, unchecked box
    fields.update(method="home", findings="身体状况良好")
    response = browser.post(f"/m/v/{veteran.pk}/visit/", fields)
    assert response.status_code == 302
    assert response["Location"] == f"/m/v/{veteran.pk}/"
    visit = Visit.objects.get(veteran=veteran)
    assert (str(visit.client_id), visit.recorded_by.username, visit.findings) == (
        fields["client_id"],
        username,
        "身体状况良好",
    )


def test_worker_api_visit_with_the_session_csrf_token(demo):
    username = load_accounts()["workers"][0]
    browser, _page = login(username, "/m/")
    veteran = demo["veterans"][0]
    body = {"client_id": "6a1f0d2e-3c4b-4d5e-8f70-1a2b3c4d5e6f", "veteran": veteran.pk, "method": "phone"}
    headers = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    first = browser.post("/api/visits/", body, content_type="application/json", headers=headers)
    again = browser.post("/api/visits/", body, content_type="application/json", headers=headers)
    assert (first.status_code, first["Visit-Created"]) == (200, "true")
    assert (again.status_code, again["Visit-Created"]) == (200, "false")
    assert Visit.objects.filter(veteran=veteran).count() == 1


def test_leader_finds_drill_down_and_overdue_links_on_the_dashboard(demo):
    browser, board = login("leader", "/dashboard/")
    streets = drill_links(board)
    assert [level for level, _pk in streets] == ["street", "street"]
    street_page = browser.get("/dashboard/", {"level": "street", "id": streets[0][1]})
    assert street_page.status_code == 200
    assert {level for level, _pk in drill_links(street_page.content.decode())} == {"community"}
    links = overdue_links(board)
    assert {link.split("?")[0] for link in links} == {"/admin/veterans/veteran/", "/admin/appeals/appeal/"}
    assert all("overdue" in link and "&amp;" not in link for link in links)
    assert all(browser.get(link).status_code == 200 for link in links)
    assert browser.get("/api/statistics/", {"level": "street", "id": streets[0][1]}).status_code == 200


def test_form_fields_take_the_selected_option_and_checked_boxes_of_the_named_form():
    page = """<form id="other"><input name="x" value="1"></form>
    <form id="f"><input type="hidden" name="token" value="t"><select name="kind"><option value="a">A</option>
    <option value="b" selected>B</option></select><select name="first"><option value="p">P</option></select>
    <input type="checkbox" name="yes" checked><input type="checkbox" name="no"><textarea name="note">x</textarea>
    <input type="file" name="photos"></form>"""
    assert form_fields(page, "f") == {"token": "t", "kind": "b", "first": "p", "yes": "on", "note": ""}


def entry(method, name, times: dict[int, int], failures=0, start=1000.0, end=1060.0):
    return {
        "method": method,
        "name": name,
        "num_requests": sum(times.values()),
        "num_failures": failures,
        "response_times": {str(ms): n for ms, n in times.items()},
        "start_time": start,
        "last_request_timestamp": end,
    }


def test_percentiles_come_from_locusts_rounded_histogram():
    times = Counter({10: 50, 20: 40, 300: 9, 2000: 1})
    assert histogram_percentile(times, 0.5) == 10
    assert histogram_percentile(times, 0.95) == 300
    assert histogram_percentile(times, 1.0) == 2000
    assert histogram_percentile(Counter(), 0.95) is None


def test_a_clean_run_passes_with_rates_over_the_measured_duration():
    stats = [entry("GET", "/m/", {10: 90, 50: 10}), entry("POST", "/api/visits/", {30: 20}, start=1010.0)]
    statuses = {"statuses": {"GET /m/": {"200": 100}, "POST /api/visits/": {"200": 20}}, "errors": {}}
    summary = summarize(stats, statuses, users=10, seconds=60, workers=2)
    assert summary["passed"] is True
    assert (summary["requests"], summary["requests_per_s"], summary["duration_s"]) == (120, 2.0, 60.0)
    assert summary["p95_ms"] == 50
    rows = {row["name"]: row for row in summary["endpoints"]}
    assert (rows["/m/"]["rate"], rows["/m/"]["p50_ms"], rows["/api/visits/"]["p95_ms"]) == (1.7, 10, 30)


@pytest.mark.parametrize(
    "stats_failures, statuses, errors",
    [
        (1, {"GET /m/": {"200": 99, "403": 1}}, {}),  # a failed request
        (0, {"GET /m/": {"200": 99, "502": 1}}, {}),  # a server error
        (0, {"GET /m/": {"200": 100}}, {"GridWorker: KeyError: 'csrftoken'": 1}),  # an error inside a person
    ],
)
def test_any_failure_server_error_or_user_error_fails_the_run(tmp_path, stats_failures, statuses, errors):
    stats_file, statuses_file, output = tmp_path / "stats.json", tmp_path / "statuses.json", tmp_path / "out.json"
    stats_file.write_text(json.dumps([entry("GET", "/m/", {10: 100}, failures=stats_failures)]))
    statuses_file.write_text(json.dumps({"statuses": statuses, "errors": errors}))
    args = [
        "--stats",
        str(stats_file),
        "--statuses",
        str(statuses_file),
        "--users",
        "5",
        "--seconds",
        "60",
        "--workers",
        "2",
        "--output",
        str(output),
    ]
    assert main(args) == 1
    written = json.loads(output.read_text())
    assert written["passed"] is False
    assert written["server_errors"] == (1 if "502" in statuses["GET /m/"] else 0)


def test_no_locust_results_fails_the_run(tmp_path):
    args = [
        "--stats",
        str(tmp_path / "missing.json"),
        "--statuses",
        str(tmp_path / "s.json"),
        "--users",
        "1",
        "--seconds",
        "1",
        "--workers",
        "1",
        "--output",
        str(tmp_path / "out.json"),
    ]
    assert main(args) == 1
    assert not (tmp_path / "out.json").exists()
