"""A grid worker without signal, in real headless Chromium at 360×740: the phone app keeps
working offline, queues what was done, and uploads it once, in order, when signal returns."""

import datetime

import pytest
from django.utils import timezone
from PIL import Image

from appeals.models import Appeal, AppealCategory, AppealKind
from assistance.models import CaseType, HardshipCase
from assistance.tests.factories import CaseTypeFactory
from grids.models import Role
from grids.tests.factories import PASSWORD, GridFactory, make_staff
from offline.models import ConflictStatus, FieldConflict
from replays.models import SubmitReceipt
from transfers.services import person_record_death
from veterans.models import Veteran
from veterans.services import veteran_update
from veterans.tests.factories import make_veteran
from visits.models import ActivityKind, Visit
from visits.services import grid_activity_record
from wishes.models import MicroWish
from wishes.services import wish_claim, wish_collect, wish_publish

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.fixture
def area(db):
    # Reference data a live-server test's flush may have emptied.
    if not CaseType.objects.filter(name="大病医疗救助").exists():
        CaseTypeFactory(name="大病医疗救助")
    grid = GridFactory(name="山村第一网格")
    worker = make_staff(grids=[grid])
    person = make_veteran(grid, name="张建国", residence_address="后山村12号")
    make_veteran(grid, name="李秀英")
    Veteran.objects.filter(pk=person.pk).update(visit_due_on=timezone.localdate() - datetime.timedelta(days=30))
    return {"grid": grid, "worker": worker, "person": person}


def _log_in_and_cache(page, url, worker):
    page.goto(f"{url}/accounts/login/?next=/m/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#due-list")
    page.wait_for_function("() => window.vgOffline && window.vgOffline.ready")
    page.evaluate("() => window.vgOffline.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#data-time:not(:empty)")


def _queue_count(page) -> str:
    return page.inner_text("#queue-count")


def _log_visit_offline(page, note):
    page.click("#log-visit")
    page.wait_for_selector("#visit-form")
    page.fill("textarea[name=findings]", note)
    page.click("#submit-visit")
    page.wait_for_selector("#offline-card, #log-visit")


@pytest.mark.browser
def test_visits_and_a_report_made_offline_reach_the_server_once(chromium_page, live_server, area):
    page = chromium_page
    person = area["person"]
    grid_activity_record(
        grid=area["grid"], held_on=timezone.localdate(), kind=ActivityKind.values[0], title="重阳敬老",
        participants=12, acting_user=area["worker"],
    )  # fmt: skip
    _log_in_and_cache(page, live_server.url, area["worker"])
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/m/v/{person.pk}/")
    page.wait_for_selector("#log-visit")
    assert "张建国" in page.inner_text("main")
    _log_visit_offline(page, "身体尚好")
    _log_visit_offline(page, "复访：送药上门")
    page.goto(f"{live_server.url}/m/v/{person.pk}/hardship/")
    page.wait_for_selector("#hardship-form")
    page.select_option("select[name=case_type]", label="大病医疗救助")
    page.fill("textarea[name=description]", "山洪冲毁房屋")
    page.fill("input[name=amount_requested]", "5000")
    page.click("#hardship-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('3')")

    page.reload()  # still offline: the page is drawn from what the phone kept
    page.wait_for_selector("#queue-count:has-text('待上传 3 条')")
    page.goto(f"{live_server.url}/m/activities/")  # this week's activities, as the phone kept them
    page.wait_for_selector("#offline-activities:has-text('重阳敬老')")
    assert not Visit.objects.exists() and not HardshipCase.objects.exists()

    page.context.set_offline(False)
    page.evaluate("() => window.vgOffline.drain()")
    page.wait_for_selector("#queue-bar", state="hidden")
    assert Visit.objects.filter(veteran=person).count() == 2
    assert set(Visit.objects.values_list("findings", flat=True)) == {"身体尚好", "复访：送药上门"}
    assert HardshipCase.objects.filter(veteran=person).count() == 1
    assert SubmitReceipt.objects.count() == 3


@pytest.mark.browser
def test_a_sync_cut_after_the_server_stored_the_visit_stores_it_once(chromium_page, live_server, area):
    page = chromium_page
    person = area["person"]
    _log_in_and_cache(page, live_server.url, area["worker"])
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/m/v/{person.pk}/")
    _log_visit_offline(page, "第一次")
    page.goto(f"{live_server.url}/m/v/{person.pk}/event/")
    page.wait_for_selector("#event-form")
    page.select_option("select[name=kind]", "hospital")
    page.click("#event-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('待上传 2 条')")

    cut = {"done": False}

    def server_stores_then_signal_drops(route):
        if route.request.method == "POST" and not cut["done"]:
            cut["done"] = True
            route.fetch()  # the server stores the visit and answers...
            route.abort("internetdisconnected")  # ...but the phone never hears it
        else:
            route.continue_()

    page.route("**/m/v/*/visit/", server_stores_then_signal_drops)
    page.context.set_offline(False)  # the page starts sending on its own
    page.evaluate("() => window.vgOffline.drain()")
    assert Visit.objects.filter(veteran=person).count() == 1
    assert page.evaluate("async () => (await window.vgOffline.items()).length") == 2  # nothing taken as sent

    page.evaluate("() => window.vgOffline.drain()")  # signal is back
    page.wait_for_selector("#queue-bar", state="hidden")
    assert Visit.objects.filter(veteran=person).count() == 1
    assert person.must_visit_events.count() == 1


@pytest.mark.browser
def test_logging_out_keeps_the_queue_until_the_worker_agrees_to_drop_it(chromium_page, live_server, area):
    page = chromium_page
    person = area["person"]
    _log_in_and_cache(page, live_server.url, area["worker"])
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/m/v/{person.pk}/")
    _log_visit_offline(page, "没信号时记的")
    page.route("**/m/v/*/visit/", lambda route: route.abort("internetdisconnected"))  # the server is out of reach
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/m/v/{person.pk}/")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#logout-form [type=submit]")
    page.wait_for_timeout(300)
    assert asked and "1 条" in asked[0]
    assert "/m/" in page.url  # still logged in, the item still there
    assert page.evaluate("async () => (await window.vgOffline.items()).length") == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#logout-form [type=submit]")
    page.wait_for_url("**/accounts/login/**")
    names = page.evaluate("async () => await caches.keys()")
    assert "vg-data" not in names and "vg-pages" not in names
    assert (
        page.evaluate(
            "() => new Promise(ok => { const r = indexedDB.open('vg-offline', 1);"
            " r.onsuccess = () => r.result.transaction('queue').objectStore('queue').count()"
            ".onsuccess = e => ok(e.target.result); })"
        )
        == 0
    )


@pytest.mark.browser
def test_two_workers_offline_visiting_the_same_person_give_two_visits(chromium_page, live_server, area):
    colleague = make_staff(grids=[area["grid"]])
    person = area["person"]
    second = chromium_page.context.browser.new_context(**PHONE).new_page()
    pages = []
    for worker, page in ((area["worker"], chromium_page), (colleague, second)):
        context = page.context
        _log_in_and_cache(page, live_server.url, worker)
        context.set_offline(True)
        page.goto(f"{live_server.url}/m/v/{person.pk}/")
        _log_visit_offline(page, f"{worker.username}的走访")
        pages.append(page)
    for page in pages:
        page.context.set_offline(False)
        page.evaluate("() => window.vgOffline.drain()")
        page.wait_for_selector("#queue-bar", state="hidden")
    assert sorted(Visit.objects.filter(veteran=person).values_list("recorded_by_id", flat=True)) == sorted(
        [area["worker"].pk, colleague.pk]
    )
    second.context.close()


@pytest.mark.browser
def test_a_phone_changed_offline_meets_the_stations_change_and_both_are_shown(chromium_page, live_server, area):
    page = chromium_page
    person = area["person"]
    Veteran.objects.filter(pk=person.pk).update(phone="13912345678")
    station = make_staff(area["grid"].community.street, role=Role.STATION_STAFF)
    _log_in_and_cache(page, live_server.url, area["worker"])
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/m/v/{person.pk}/contact/")
    page.wait_for_selector("#contact-form")
    page.fill("input[name=phone]", "13800001111")
    page.click("#contact-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('待上传 1 条')")

    # Meanwhile the station corrects the same number (the admin's save is this service).
    veteran_update(veteran=Veteran.objects.get(pk=person.pk), acting_user=station, phone="13722223333")

    page.context.set_offline(False)
    page.evaluate("() => window.vgOffline.drain()")
    page.wait_for_selector("#queue-bar", state="hidden")
    assert Veteran.objects.get(pk=person.pk).phone == "13722223333"  # nothing overwritten
    page.goto(f"{live_server.url}/m/v/{person.pk}/contact/")
    row = page.locator("#conflicts li[data-field=phone]")
    assert row.locator(".server-value").inner_text() == "137****3333"
    assert row.locator(".submitted-value").inner_text() == "138****1111"
    row.locator("button[value=submitted]").click()
    page.wait_for_selector("text=已处理信息冲突")
    assert Veteran.objects.get(pk=person.pk).phone == "13800001111"
    assert FieldConflict.objects.get().status == ConflictStatus.TAKEN


@pytest.mark.browser
def test_a_visit_refused_after_the_person_died_stays_with_its_reason_until_discarded(chromium_page, live_server, area):
    page = chromium_page
    person = area["person"]
    _log_in_and_cache(page, live_server.url, area["worker"])
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/m/v/{person.pk}/")
    _log_visit_offline(page, "送慰问品")
    station = make_staff(area["grid"].community.street, role=Role.STATION_STAFF)
    person_record_death(veteran=person, died_on=timezone.localdate(), acting_user=station)  # meanwhile

    page.context.set_offline(False)
    page.evaluate("() => window.vgOffline.drain()")
    page.wait_for_selector("#queue-refused:has-text('1 条被退回')")
    page.goto(f"{live_server.url}/m/offline/queue/")
    item = page.locator("#queue-items li.refused")
    item.wait_for()
    assert "已故" in item.inner_text()  # the server's reason, kept with the item
    assert (
        item.locator("a.button").get_attribute("href").endswith("/visit/#edit=" + item.get_attribute("data-client-id"))
    )
    page.once("dialog", lambda dialog: dialog.accept())
    item.locator("button").click()
    page.wait_for_selector("#queue-page:has-text('没有待上传的记录')")
    assert not Visit.objects.exists()


@pytest.mark.browser
def test_a_disabled_account_loses_the_area_kept_on_the_phone(chromium_page, live_server, area):
    page = chromium_page
    worker = area["worker"]
    _log_in_and_cache(page, live_server.url, worker)
    assert "vg-data" in page.evaluate("async () => await caches.keys()")
    type(worker).objects.filter(pk=worker.pk).update(is_active=False)
    page.goto(f"{live_server.url}/m/")
    page.wait_for_url("**/accounts/login/**")
    assert "vg-data" not in page.evaluate("async () => await caches.keys()")
    assert "vg-pages" not in page.evaluate("async () => await caches.keys()")


def _big_photo(path) -> None:
    """A phone camera's photo: 3000×2000, a few MB of noise that JPEG cannot squeeze."""
    import os

    from PIL import Image

    Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3)).save(path, format="JPEG", quality=95)


@pytest.mark.browser
def test_an_appeal_a_wish_and_a_fulfilment_with_its_photo_go_out_from_offline(
    chromium_page, live_server, area, tmp_path
):
    page = chromium_page
    person, worker = area["person"], area["worker"]
    station = make_staff(area["grid"].community.street, role=Role.STATION_STAFF)
    # Reference data a live-server test's flush has emptied.
    AppealCategory.objects.get_or_create(name="住房安全", defaults={"kind": AppealKind.values[0], "deadline_days": 15})
    wish = wish_collect(veteran=person, title="一台轮椅", estimated_value="800", acting_user=worker)
    wish = wish_publish(wish=wish, acting_user=station)
    wish = wish_claim(
        wish=wish, donor_kind="person", donor_name="某先生", donor_phone="13900001111",
        claimed_on=timezone.localdate(), acting_user=station,
    )  # fmt: skip
    _log_in_and_cache(page, live_server.url, worker)
    page.goto(f"{live_server.url}/m/wishes/{wish.pk}/")  # seen once with signal: kept on the phone
    page.wait_for_selector("#fulfil-form")
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/m/appeals/new/{person.pk}/")
    page.wait_for_selector("#appeal-form")
    page.select_option("#appeal-form select[name=category]", label="住房安全")
    page.fill("#appeal-form input[name=subject]", "屋顶漏雨")
    page.fill("#appeal-form textarea[name=content]", "雨季前请帮助修缮")
    page.click("#appeal-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('待上传 1 条')")
    page.goto(f"{live_server.url}/m/wishes/new/{person.pk}/")
    page.wait_for_selector("#wish-form")
    page.fill("#wish-form input[name=title]", "想见老战友")
    page.click("#wish-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('待上传 2 条')")
    page.goto(f"{live_server.url}/m/wishes/{wish.pk}/")
    page.wait_for_selector("#fulfil-form")
    photo = tmp_path / "photo.jpg"
    _big_photo(photo)
    page.set_input_files("#fulfil-form input[name=photo]", str(photo))
    page.fill("#fulfil-form textarea[name=note]", "轮椅已送到家中")
    page.click("#fulfil-form [type=submit]")
    page.wait_for_selector("#queue-count:has-text('待上传 3 条')")
    queued = page.evaluate("async () => (await window.vgOffline.items()).map(i => i.files.map(f => f[1].size))")
    assert 0 < queued[2][0] < photo.stat().st_size / 3  # made smaller on the phone before waiting

    page.context.set_offline(False)
    page.evaluate("() => window.vgOffline.drain()")
    page.wait_for_selector("#queue-bar", state="hidden")
    assert Appeal.objects.get(veteran=person).subject == "屋顶漏雨"
    assert MicroWish.objects.filter(veteran=person, title="想见老战友").exists()
    wish.refresh_from_db()
    assert wish.fulfilled_on == timezone.localdate()
    with Image.open(wish.photo.path) as stored:
        assert max(stored.size) <= 1600
