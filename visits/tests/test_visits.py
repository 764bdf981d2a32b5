import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone
from PIL import Image

from core.errors import ApplicationError
from grids.scoping import SYSTEM
from grids.tests.factories import make_staff
from veterans.services import veteran_remove, veteran_update
from veterans.tests.factories import make_veteran
from visits.models import Visit, VisitPhoto
from visits.services import campaign_create, grid_activity_record, visit_record


@pytest.fixture
def worker(tree):
    return make_staff(grids=[tree["grid_a11"]])


@pytest.fixture
def veteran(tree):
    return make_veteran(tree["grid_a11"], name="走访对象")


def record(veteran, user, **fields):
    fields.setdefault("method", "home")
    return visit_record(veteran=veteran, acting_user=user, **fields)


def test_same_client_id_twice_creates_one_visit(veteran, worker):
    client_id = uuid.uuid4()
    first, created = record(veteran, worker, client_id=client_id, money=Decimal("500"))
    again, created_again = record(veteran, worker, client_id=client_id, money=Decimal("500"))
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Visit.objects.count() == 1


def test_a_retry_after_the_file_changed_still_gets_the_first_visit(veteran, worker):
    client_id = uuid.uuid4()
    first, _ = record(veteran, worker, client_id=client_id)
    veteran_update(veteran=veteran, life_status="deceased", life_status_date=timezone.localdate(), acting_user=SYSTEM)
    again, created = record(veteran, worker, client_id=client_id)
    assert (again.pk, created) == (first.pk, False)
    assert Visit.objects.count() == 1


def test_someone_elses_client_id_is_refused_and_nothing_is_written(tree, veteran, worker):
    client_id = uuid.uuid4()
    record(veteran, worker, client_id=client_id)
    colleague = make_staff(grids=[tree["grid_a11"]])
    with pytest.raises(ApplicationError) as error:
        record(make_veteran(tree["grid_a11"]), colleague, client_id=client_id)
    assert error.value.code == "conflict"
    assert Visit.objects.count() == 1


def test_a_retry_writes_no_second_audit_row_or_date(veteran, worker):
    from audit.models import AuditEvent

    client_id = uuid.uuid4()
    record(veteran, worker, client_id=client_id, visited_at=timezone.now() - datetime.timedelta(days=3))
    record(veteran, worker, client_id=client_id)  # a retry, even with another time, changes nothing
    veteran.refresh_from_db()
    assert veteran.last_visit_on == timezone.localdate() - datetime.timedelta(days=3)
    assert AuditEvent.objects.filter(object_type="visits.visit").count() == 1


def test_the_next_visit_is_due_after_the_veterans_interval(veteran, worker):
    veteran.refresh_from_db()
    record(veteran, worker)
    veteran.refresh_from_db()
    assert veteran.visit_interval_days == 182  # kept by visits.schedule, not worked out per submit
    assert veteran.visit_due_on == timezone.localdate() + datetime.timedelta(days=182)


@pytest.mark.parametrize("level", ["grid", "community", "street", "district"])
def test_an_area_with_visits_stays_protected_though_the_database_does_not_check_the_copied_keys(veteran, worker, level):
    visit, _created = record(veteran, worker)
    with pytest.raises(ProtectedError) as refused:
        getattr(visit, level).delete()
    assert visit in refused.value.protected_objects


def test_the_database_checks_a_visits_veteran_and_recorder_but_not_its_copied_area_keys(postgres):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Visit._meta.db_table)
    checked = {column for c in constraints.values() if c["foreign_key"] for column in c["columns"]}
    assert checked == {"veteran_id", "recorded_by_id", "campaign_id"}


def test_visit_moves_the_last_visit_date(veteran, worker):
    record(veteran, worker)
    veteran.refresh_from_db()
    assert veteran.last_visit_on == timezone.localdate()


@pytest.mark.parametrize("status", ["deceased", "moved_out"])
def test_visit_to_a_deceased_or_moved_out_veteran_is_refused(veteran, worker, status):
    veteran_update(veteran=veteran, life_status=status, life_status_date=datetime.date(2026, 1, 1), acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="不能记录走访"):
        record(veteran, worker)
    assert not Visit.objects.exists()


def test_visit_to_a_removed_record_is_refused(veteran, worker):
    veteran_remove(veteran=veteran, reason="重复", acting_user=SYSTEM)
    with pytest.raises(ApplicationError, match="已注销"):
        record(veteran, worker)


def test_visit_in_the_future_is_refused(veteran, worker):
    with pytest.raises(ApplicationError, match="不能晚于现在"):
        record(veteran, worker, visited_at=timezone.now() + datetime.timedelta(hours=2))
    assert not Visit.objects.exists()


@pytest.mark.parametrize(("money", "message"), [(Decimal("-1"), "不能为负数"), (Decimal("100000.01"), "超过单次上限")])
def test_bad_amounts_are_refused(veteran, worker, money, message):
    with pytest.raises(ApplicationError, match=message):
        record(veteran, worker, money=money)
    assert not Visit.objects.exists()


def test_amounts_are_exact_decimals(veteran, worker):
    visit, _ = record(veteran, worker, money=Decimal("0.1") + Decimal("0.2"), goods="米面油", goods_value="199.99")
    visit.refresh_from_db()
    assert visit.money == Decimal("0.30") and visit.goods_value == Decimal("199.99")


def test_worker_cannot_visit_another_grids_veteran(tree, worker):
    other = make_veteran(tree["grid_a12"])
    with pytest.raises(ApplicationError) as error:
        record(other, worker)
    assert error.value.code == "out_of_scope"
    assert not Visit.objects.exists()


def test_follow_up_needs_a_date(veteran, worker):
    with pytest.raises(ApplicationError, match="跟进期限"):
        record(veteran, worker, follow_up_needed=True)


def test_must_visit_kind_needs_a_reason(veteran, worker):
    with pytest.raises(ApplicationError, match="事由"):
        record(veteran, worker, kind="must_visit")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (39.0, 7.0, 0.0), 4: (117.0, 12.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photos_are_re_encoded_without_location(veteran, worker):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()  # the test photo does carry EXIF
    visit, _ = record(veteran, worker, photos=[SimpleUploadedFile("p.jpg", raw, content_type="image/jpeg")])
    photo = visit.photos.get()
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif()
        assert stored.size == (64, 48)


def test_non_images_and_too_many_photos_are_refused(veteran, worker):
    fake = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ApplicationError, match="不是有效的图片"):
        record(veteran, worker, photos=[fake])
    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps()) for n in range(4)]
    with pytest.raises(ApplicationError, match="最多上传 3 张"):
        record(veteran, worker, photos=photos)
    assert not Visit.objects.exists() and not VisitPhoto.objects.exists()


def test_campaign_visit_must_fall_in_its_period_and_area(tree, veteran, worker):
    staff = make_staff(tree["street_a"])
    today = timezone.localdate()
    campaign = campaign_create(
        name="春节慰问",
        kind="spring_festival",
        target="all",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=3),
        area=tree["community_a1"],
        acting_user=staff,
    )
    visit, _ = record(veteran, worker, kind="campaign", campaign=campaign, money=Decimal("800"))
    assert visit.campaign == campaign
    outside = make_veteran(tree["grid_a21"])
    with pytest.raises(ApplicationError, match="不在“春节慰问”的慰问范围内"):
        record(outside, make_staff(tree["street_a"]), kind="campaign", campaign=campaign)
    with pytest.raises(ApplicationError, match="活动期间"):
        record(
            veteran, worker, kind="campaign", campaign=campaign, visited_at=timezone.now() - datetime.timedelta(days=10)
        )


def test_activity_in_another_grid_or_future_is_refused(tree, worker):
    today = timezone.localdate()
    activity = grid_activity_record(
        grid=tree["grid_a11"], held_on=today, kind="volunteer", title="义诊", participants=30, acting_user=worker
    )
    assert activity.community_id == tree["community_a1"].pk
    with pytest.raises(ApplicationError):
        grid_activity_record(
            grid=tree["grid_a12"], held_on=today, kind="volunteer", title="x", participants=1, acting_user=worker
        )
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        grid_activity_record(
            grid=tree["grid_a11"],
            held_on=today + datetime.timedelta(days=1),
            kind="volunteer",
            title="x",
            participants=1,
            acting_user=worker,
        )


def test_the_position_is_kept_rounded_to_six_places(veteran, worker):
    visit, _ = record(veteran, worker, latitude=Decimal("39.12345678"), longitude=117.2000004, location_accuracy=12.2)
    visit.refresh_from_db()
    assert (visit.latitude, visit.longitude, visit.location_accuracy) == (
        Decimal("39.123457"),
        Decimal("117.200000"),
        13,  # rounded up: never claims more precision than the phone gave
    )


def test_a_visit_without_a_position_keeps_none(veteran, worker):
    visit, _ = record(veteran, worker, location_accuracy=30)  # an accuracy alone is no position
    visit.refresh_from_db()
    assert (visit.latitude, visit.longitude, visit.location_accuracy) == (None, None, None)


@pytest.mark.parametrize(
    ("position", "field", "message"),
    [
        ({"latitude": "90.5", "longitude": "117"}, "latitude", "纬度应在 -90 到 90 之间"),
        ({"latitude": "39", "longitude": "-180.000001"}, "longitude", "经度应在 -180 到 180 之间"),
        ({"latitude": "1E+999999", "longitude": "117"}, "latitude", "纬度应在 -90 到 90 之间"),
        ({"latitude": "NaN", "longitude": "117"}, "latitude", "纬度应在 -90 到 90 之间"),
        ({"latitude": "39"}, "latitude", "同时有纬度和经度"),
        ({"latitude": "39", "longitude": "117", "location_accuracy": -1}, "location_accuracy", "定位精度"),
        ({"latitude": "39", "longitude": "117", "location_accuracy": 200_000}, "location_accuracy", "定位精度"),
    ],
)
def test_a_bad_position_is_refused_and_nothing_is_written(veteran, worker, position, field, message):
    with pytest.raises(ApplicationError, match=message) as refused:
        record(veteran, worker, **position)
    assert refused.value.field == field
    assert not Visit.objects.exists()


def test_last_visit_position_is_the_latest_home_visit_that_has_one(veteran, worker):
    from visits.selectors import last_visit_position

    assert last_visit_position(veteran) is None
    now = timezone.now()
    record(veteran, worker, visited_at=now - datetime.timedelta(days=9), latitude="39.1", longitude="117.1")
    latest, _ = record(
        veteran,
        worker,
        visited_at=now - datetime.timedelta(days=5),
        latitude="39.2",
        longitude="117.2",
        location_accuracy=8,
    )
    record(veteran, worker, visited_at=now - datetime.timedelta(days=2))  # no position asked for
    record(veteran, worker, method="station", visited_at=now - datetime.timedelta(days=1), latitude=1, longitude=2)
    position = last_visit_position(veteran)
    assert (position.latitude, position.longitude, position.accuracy) == (Decimal("39.2"), Decimal("117.2"), 8)
    assert (position.visited_at, position.visit_id) == (latest.visited_at, latest.pk)
