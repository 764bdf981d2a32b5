import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from veterans.services import veteran_remove, veteran_update
from veterans.tests.factories import make_veteran
from wishes.models import MicroWish, WishStatus
from wishes.services import (
    wish_cancel,
    wish_claim,
    wish_collect,
    wish_confirm,
    wish_fulfil,
    wish_publish,
)
from wishes.tests.factories import image_upload, make_wish

TODAY = timezone.localdate


def _audit_count(wish=None) -> int:
    events = AuditEvent.objects.filter(object_type="wishes.microwish")
    return events.filter(object_id=str(wish.pk)).count() if wish else events.count()


def _refused(call, *, code="invalid", contains=""):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.code == code
    assert contains in caught.value.message
    return caught.value


def test_a_wish_goes_from_collected_to_confirmed_with_who_and_when_at_each_step(tree, people):
    veteran = make_veteran(tree["grid_a11"], name="王德胜")
    wish = wish_collect(
        veteran=veteran,
        title=" 一台新轮椅 ",
        description="旧轮椅坏了",
        estimated_value="1800",
        acting_user=people["worker"],
    )
    assert (wish.status, wish.title, wish.collected_on, wish.grid_id) == (
        "collected",
        "一台新轮椅",
        TODAY(),
        veteran.grid_id,
    )
    assert wish.street_id == tree["street_a"].pk and wish.collected_by == people["worker"]

    wish_publish(wish=wish, acting_user=people["station"])
    wish_claim(
        wish=wish,
        donor_kind="enterprise",
        donor_name="津门爱心企业",
        donor_phone="022-23456789",
        claimed_on=TODAY(),
        acting_user=people["station"],
    )
    wish_fulfil(wish=wish, fulfilled_on=TODAY(), note="轮椅已送到", photo=image_upload(), acting_user=people["worker"])
    wish_confirm(wish=wish, acting_user=people["station"])

    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED
    assert (wish.published_by, wish.donor_name, wish.claimed_on) == (people["station"], "津门爱心企业", TODAY())
    assert (wish.fulfilled_by, wish.fulfilment_note, wish.confirmed_by) == (
        people["worker"],
        "轮椅已送到",
        people["station"],
    )
    assert wish.published_at and wish.confirmed_at and wish.photo.name.startswith("wishes/")
    steps = AuditEvent.objects.filter(object_id=str(wish.pk), object_type="wishes.microwish")
    assert [e.detail.get("step") for e in steps.order_by("id")] == [None, "publish", "claim", "fulfil", "confirm"]


def test_the_fulfilment_photo_is_re_encoded_without_exif(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    upload = image_upload("camera.jpg", with_exif=True)
    with Image.open(upload) as original:
        assert original.getexif()  # the test picture really carries a camera make and GPS
    upload.seek(0)
    wish_fulfil(wish=wish, fulfilled_on=TODAY(), photo=upload, acting_user=people["worker"])
    wish.refresh_from_db()
    with wish.photo.open("rb") as stored, Image.open(stored) as picture:
        assert picture.format == "JPEG" and not picture.getexif() and "exif" not in picture.info


def test_a_png_photo_is_accepted_and_stored_as_jpeg(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    wish_fulfil(wish=wish, fulfilled_on=TODAY(), photo=image_upload("a.png", fmt="PNG"), acting_user=people["worker"])
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED and wish.photo.name.endswith(".jpg")


def test_an_anonymous_donor_needs_no_name(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="published")
    wish_claim(wish=wish, donor_kind="anonymous", claimed_on=TODAY(), acting_user=people["station"])
    wish.refresh_from_db()
    assert (wish.status, wish.donor_kind, wish.donor_name) == ("claimed", "anonymous", "")


def test_a_wish_can_be_cancelled_with_a_reason_before_it_is_fulfilled(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed")
    wish_cancel(wish=wish, reason=" 老人已住院，家属婉拒 ", acting_user=people["station"])
    wish.refresh_from_db()
    assert (wish.status, wish.cancel_reason, wish.cancelled_by) == (
        "cancelled",
        "老人已住院，家属婉拒",
        people["station"],
    )


# --- refusals: each leaves the wish and the audit trail as they were -----------------------------


@pytest.mark.parametrize(
    ("value", "contains"),
    [("-1", "不能为负数"), ("20000.01", "20000.00 元"), ("abc", "有效")],
)
def test_collect_refuses_negative_over_limit_and_unreadable_values(tree, people, value, contains):
    veteran = make_veteran(tree["grid_a11"])
    call = lambda: wish_collect(veteran=veteran, title="轮椅", estimated_value=value, acting_user=people["worker"])  # noqa: E731
    error = _refused(call, contains=contains)
    assert error.field == "estimated_value"
    assert not MicroWish.objects.exists() and _audit_count() == 0


def test_a_wish_of_up_to_the_limit_and_a_free_one_are_accepted(tree, people):
    veteran = make_veteran(tree["grid_a11"])
    wish_collect(veteran=veteran, title="制氧机", estimated_value="20000", acting_user=people["worker"])
    wish_collect(veteran=veteran, title="视频通话", estimated_value=0, acting_user=people["worker"])
    assert sorted(MicroWish.objects.values_list("estimated_value", flat=True)) == [Decimal("0"), Decimal("20000")]


def test_collect_refuses_an_empty_title_a_future_date_and_a_duplicate(tree, people):
    veteran = make_veteran(tree["grid_a11"])
    worker = people["worker"]
    _refused(lambda: wish_collect(veteran=veteran, title="  ", estimated_value=1, acting_user=worker), contains="心愿")
    tomorrow = TODAY() + datetime.timedelta(days=1)
    _refused(
        lambda: wish_collect(
            veteran=veteran, title="轮椅", estimated_value=1, collected_on=tomorrow, acting_user=worker
        ),
        contains="不能晚于今天",
    )
    wish_collect(veteran=veteran, title="轮椅", estimated_value=1, acting_user=worker)
    _refused(
        lambda: wish_collect(veteran=veteran, title="轮椅", estimated_value=1, acting_user=worker), contains="同名"
    )
    assert MicroWish.objects.count() == 1 and _audit_count() == 1


def test_collect_refuses_deceased_and_removed_veterans(tree, people):
    deceased = make_veteran(tree["grid_a11"])
    veteran_update(veteran=deceased, life_status="deceased", life_status_date=TODAY(), acting_user=SYSTEM)
    removed = make_veteran(tree["grid_a11"])
    veteran_remove(veteran=removed, reason="重复建档", acting_user=SYSTEM)
    worker = people["worker"]
    _refused(
        lambda: wish_collect(veteran=deceased, title="轮椅", estimated_value=1, acting_user=worker), contains="已故"
    )
    _refused(
        lambda: wish_collect(veteran=removed, title="轮椅", estimated_value=1, acting_user=worker), contains="注销"
    )
    assert not MicroWish.objects.exists()


def test_collect_refuses_a_veteran_of_another_grid_and_users_without_permission(tree, people):
    other = make_veteran(tree["grid_a12"])
    _refused(
        lambda: wish_collect(veteran=other, title="轮椅", estimated_value=1, acting_user=people["worker"]),
        code="out_of_scope",
    )
    mine = make_veteran(tree["grid_a11"])
    _refused(
        lambda: wish_collect(veteran=mine, title="轮椅", estimated_value=1, acting_user=people["leader"]),
        code="forbidden",
        contains="记录心愿",
    )
    assert not MicroWish.objects.exists() and _audit_count() == 0


@pytest.mark.parametrize(
    ("status", "step", "current"),
    [
        ("collected", "claim", "已收集"),
        ("collected", "fulfil", "已收集"),
        ("collected", "confirm", "已收集"),
        ("published", "publish", "已发布"),
        ("claimed", "publish", "已认领"),
        ("fulfilled", "cancel", "已实现"),
        ("confirmed", "fulfil", "已确认（销号）"),
        ("cancelled", "publish", "已取消"),
        ("cancelled", "claim", "已取消"),
    ],
)
def test_illegal_steps_are_refused_naming_the_current_status(tree, people, status, step, current):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto=status)
    before = _audit_count(wish)
    station, today = people["station"], TODAY()
    calls = {
        "publish": lambda: wish_publish(wish=wish, acting_user=station),
        "claim": lambda: wish_claim(
            wish=wish, donor_kind="person", donor_name="李", claimed_on=today, acting_user=station
        ),
        "fulfil": lambda: wish_fulfil(wish=wish, fulfilled_on=today, photo=image_upload(), acting_user=station),
        "confirm": lambda: wish_confirm(wish=wish, acting_user=station),
        "cancel": lambda: wish_cancel(wish=wish, reason="不需要了", acting_user=station),
    }
    error = _refused(calls[step], contains=f"当前状态为“{current}”")
    assert error.code == "invalid"
    wish.refresh_from_db()
    assert wish.status == status and _audit_count(wish) == before


def test_claim_refuses_impossible_dates_and_a_missing_donor(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="published", days_ago=5)
    station = people["station"]

    def claim(**changes):
        args = {"donor_kind": "person", "donor_name": "李女士", "donor_phone": "", "claimed_on": TODAY(), **changes}
        return lambda: wish_claim(wish=wish, acting_user=station, **args)

    assert (
        _refused(claim(claimed_on=TODAY() + datetime.timedelta(days=1)), contains="不能晚于今天").field == "claimed_on"
    )
    assert (
        _refused(claim(claimed_on=TODAY() - datetime.timedelta(days=6)), contains="不能早于收集日期").field
        == "claimed_on"
    )
    assert _refused(claim(donor_name=" "), contains="匿名").field == "donor_name"
    assert _refused(claim(donor_kind="alien")).field == "donor_kind"
    assert _refused(claim(donor_phone="call me")).field == "donor_phone"
    wish.refresh_from_db()
    assert (wish.status, wish.donor_name, wish.claimed_on) == ("published", "", None)


def test_fulfil_refuses_no_photo_a_non_image_and_impossible_dates(tree, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="claimed", days_ago=10)  # claimed 5 days ago
    worker = people["worker"]

    def fulfil(**changes):
        args = {"fulfilled_on": TODAY(), "photo": image_upload(), **changes}
        return lambda: wish_fulfil(wish=wish, acting_user=worker, **args)

    assert _refused(fulfil(photo=None), contains="照片").field == "photo"
    assert (
        _refused(fulfil(photo=SimpleUploadedFile("x.jpg", b"not a picture")), contains="不是有效的图片").field
        == "photo"
    )
    assert _refused(fulfil(fulfilled_on=TODAY() + datetime.timedelta(days=1)), contains="不能晚于今天")
    assert _refused(fulfil(fulfilled_on=TODAY() - datetime.timedelta(days=6)), contains="不能早于认领日期")
    wish.refresh_from_db()
    assert (wish.status, wish.fulfilled_on, wish.photo.name) == ("claimed", None, "")


def test_a_grid_worker_cannot_publish_claim_confirm_or_cancel(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people, upto="collected")
    worker = people["worker"]
    _refused(lambda: wish_publish(wish=wish, acting_user=worker), code="forbidden", contains="发布")
    _refused(lambda: wish_cancel(wish=wish, reason="x", acting_user=worker), code="forbidden")
    fulfilled = make_wish(make_veteran(tree["grid_a11"]), people, upto="fulfilled", title="助听器")
    _refused(lambda: wish_confirm(wish=fulfilled, acting_user=worker), code="forbidden", contains="确认销号")
    assert MicroWish.objects.get(pk=wish.pk).status == "collected"
    assert MicroWish.objects.get(pk=fulfilled.pk).status == "fulfilled"


def test_steps_on_a_wish_of_another_street_are_out_of_scope(tree, people):
    wish = make_wish(make_veteran(tree["grid_b11"]), people, upto="claimed")
    before = _audit_count(wish)
    _refused(lambda: wish_cancel(wish=wish, reason="x", acting_user=people["station"]), code="out_of_scope")
    _refused(
        lambda: wish_fulfil(wish=wish, fulfilled_on=TODAY(), photo=image_upload(), acting_user=people["worker"]),
        code="out_of_scope",
    )
    wish.refresh_from_db()
    assert wish.status == "claimed" and _audit_count(wish) == before


def test_a_wish_of_a_veteran_who_died_is_not_published_or_claimed_but_can_be_cancelled(tree, people):
    veteran = make_veteran(tree["grid_a11"])
    wish = make_wish(veteran, people, upto="collected")
    veteran_update(veteran=veteran, life_status="deceased", life_status_date=TODAY(), acting_user=SYSTEM)
    _refused(lambda: wish_publish(wish=wish, acting_user=people["station"]), contains="已故")
    wish_cancel(wish=wish, reason="老人已故", acting_user=people["station"])
    wish.refresh_from_db()
    assert wish.status == "cancelled"


def test_cancel_needs_a_reason(tree, people):
    wish = make_wish(make_veteran(tree["grid_a11"]), people)
    assert _refused(lambda: wish_cancel(wish=wish, reason="  ", acting_user=people["station"])).field == "reason"
    wish.refresh_from_db()
    assert wish.status == "collected" and wish.cancelled_at is None
