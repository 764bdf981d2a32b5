import datetime

import pytest

from audit.models import AuditEvent
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from honours.models import MeritNotice, Nomination, Selection
from honours.services import (
    merit_notice_deliver,
    nomination_add,
    nomination_decide,
    selection_announce,
    selection_close_nominations,
    selection_open,
)
from veterans.models import Veteran

DAY = datetime.timedelta(days=1)


def _nominate(selection, person, user, **extra):
    return nomination_add(
        selection=selection, veteran=person, nominated_by="甲街道", reason="带头创业，帮扶困难老兵", acting_user=user,
        **extra,
    )  # fmt: skip


def _refused(field=None):
    class Refusal:
        def __enter__(self):
            self.raised = pytest.raises(ApplicationError)
            self.info = self.raised.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raised.__exit__(*exc)
            if field is not None:
                assert self.info.value.field == field, self.info.value.message
            return handled

    return Refusal()


def test_district_opens_a_selection_and_a_street_station_may_not(tree, people, today):
    selection = selection_open(
        district=tree["district"], name="2026年度最美退役军人", kind="most_beautiful", level="district",
        year=today.year, nomination_deadline=today + 5 * DAY, acting_user=people["center"],
    )  # fmt: skip
    assert selection.status == "nominating" and selection.created_by == people["center"]
    assert AuditEvent.objects.filter(object_id=str(selection.pk), action="create").exists()
    with pytest.raises(ApplicationError) as error:
        selection_open(
            district=tree["district"], name="另一评选", kind="other", level="city", year=today.year,
            nomination_deadline=today + 5 * DAY, acting_user=people["station"],
        )  # fmt: skip
    assert error.value.code == "out_of_scope"
    assert Selection.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": 1990}, "year"),
        ({"nomination_deadline": datetime.date(2001, 1, 1)}, "nomination_deadline"),
        ({"kind": "best"}, "kind"),
        ({"name": "  "}, "name"),
    ],
)
def test_impossible_selection_is_refused_naming_the_field(tree, today, changes, field):
    values = {
        "district": tree["district"], "name": "评选", "kind": "most_beautiful", "level": "district",
        "year": today.year, "nomination_deadline": today + DAY,
    }  # fmt: skip
    with _refused(field):
        selection_open(acting_user=SYSTEM, **(values | changes))
    assert not Selection.objects.exists()


def test_deadline_already_past_is_refused(tree, today):
    with _refused("nomination_deadline"):
        selection_open(
            district=tree["district"], name="评选", kind="other", level="district", year=today.year,
            nomination_deadline=today - DAY, acting_user=SYSTEM,
        )  # fmt: skip


def test_station_nominates_a_person_of_its_street_once(open_selection, people, persons):
    selection = open_selection()
    nomination = _nominate(selection, persons["veteran"], people["station"])
    assert nomination.grid == persons["veteran"].grid and nomination.status == "nominated"
    with _refused("veteran") as error:
        _nominate(selection, persons["veteran"], people["station"])
    assert "已在本次评选中被推荐" in error.value.message
    assert Nomination.objects.count() == 1


def test_nominating_a_person_outside_the_street_is_refused(open_selection, people, persons):
    with pytest.raises(ApplicationError) as error:
        _nominate(open_selection(), persons["theirs"], people["station"])
    assert error.value.code == "out_of_scope" and "李长青" not in error.value.message
    assert not Nomination.objects.exists()


def test_grid_worker_may_not_nominate(open_selection, people, persons):
    with pytest.raises(ApplicationError):
        _nominate(open_selection(), persons["veteran"], people["worker"])


def test_nominations_close_with_the_deadline_and_the_status(open_selection, people, persons, today):
    selection = open_selection()
    Selection.objects.filter(pk=selection.pk).update(nomination_deadline=today - DAY)
    with _refused("selection") as error:
        _nominate(selection, persons["veteran"], people["station"])
    assert "截止" in error.value.message
    other = open_selection(kind="other", name="和谐之家")
    selection_close_nominations(selection=other, acting_user=people["center"])
    with _refused("selection"):
        _nominate(other, persons["veteran"], people["station"])
    assert not Nomination.objects.exists()


def test_a_nomination_date_in_the_future_is_refused(open_selection, people, persons, today):
    with _refused("nominated_on"):
        _nominate(open_selection(), persons["veteran"], people["station"], nominated_on=today + DAY)


def test_kind_decides_who_may_be_nominated(open_selection, people, persons):
    with _refused("veteran"):
        _nominate(open_selection("most_beautiful"), persons["family"], people["station"])
    with _refused("veteran"):
        _nominate(open_selection("five_good_family", name="五好家属"), persons["veteran"], people["station"])
    assert _nominate(Selection.objects.get(name="五好家属"), persons["family"], people["station"]).pk


def test_a_closed_file_cannot_be_nominated(open_selection, people, persons, today):
    Veteran.objects.filter(pk=persons["veteran"].pk).update(life_status="deceased", life_status_date=today - DAY)
    persons["veteran"].refresh_from_db()
    with _refused("veteran"):
        _nominate(open_selection(), persons["veteran"], people["station"])


def test_decisions_wait_for_nominating_to_close(open_selection, people, persons, today):
    selection = open_selection()
    nomination = _nominate(selection, persons["veteran"], people["station"])
    with _refused("status") as error:
        nomination_decide(nomination=nomination, selected=True, decided_on=today, acting_user=people["leader"])
    assert "尚未截止" in error.value.message
    Selection.objects.filter(pk=selection.pk).update(nomination_deadline=today - DAY)
    nomination = nomination_decide(nomination=nomination, selected=True, decided_on=today, acting_user=people["leader"])
    assert nomination.status == "selected" and nomination.decided_by == people["leader"]
    selection.refresh_from_db()
    assert selection.status == "reviewing"  # the first decision after the deadline starts the review


def test_only_the_bureau_or_a_station_in_scope_decides(open_selection, people, persons, today):
    selection = open_selection()
    nomination = _nominate(selection, persons["veteran"], people["station"])
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    for user in (people["worker"], people["other_station"]):
        with pytest.raises(ApplicationError):
            nomination_decide(nomination=nomination, selected=True, decided_on=today, acting_user=user)
    nomination.refresh_from_db()
    assert nomination.status == "nominated"
    nomination_decide(nomination=nomination, selected=False, decided_on=today, acting_user=people["station"])
    nomination.refresh_from_db()
    assert nomination.status == "not_selected"


@pytest.mark.parametrize("offset", [1, -30])
def test_impossible_decision_dates_are_refused(open_selection, people, persons, today, offset):
    selection = open_selection()
    nomination = _nominate(selection, persons["veteran"], people["station"])
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    with _refused("decided_on"):
        nomination_decide(
            nomination=nomination, selected=True, decided_on=today + offset * DAY, acting_user=people["leader"]
        )
    nomination.refresh_from_db()
    assert nomination.decided_on is None


def test_announcing_needs_every_decision_and_ends_them(open_selection, people, persons, today):
    selection = open_selection()
    nomination = _nominate(selection, persons["veteran"], people["station"])
    selection_close_nominations(selection=selection, acting_user=people["leader"])
    with _refused("status") as error:
        selection_announce(selection=selection, announced_on=today, acting_user=people["leader"])
    assert "1名" in error.value.message
    with pytest.raises(ApplicationError):  # a street station does not announce the district's round
        selection_announce(selection=selection, announced_on=today, acting_user=people["station"])
    nomination_decide(nomination=nomination, selected=True, decided_on=today, acting_user=people["leader"])
    with _refused("announced_on"):
        selection_announce(selection=selection, announced_on=today - DAY, acting_user=people["leader"])
    selection = selection_announce(selection=selection, announced_on=today, acting_user=people["leader"])
    assert selection.status == "announced"
    with _refused("status"):
        nomination_decide(nomination=nomination, selected=False, decided_on=today, acting_user=people["leader"])


def test_a_notice_is_received_and_waits(receive_notice, persons):
    notice = receive_notice(soldier_name="")
    assert notice.soldier_name == "王小兵"  # the soldier the family's file names
    assert notice.grid == persons["family"].grid and not notice.is_delivered
    assert AuditEvent.objects.filter(object_id=str(notice.pk), action="create").exists()


def test_grid_worker_does_not_log_received_notices(receive_notice, people):
    with pytest.raises(ApplicationError):
        receive_notice(by=people["worker"])
    assert not MeritNotice.objects.exists()


def test_a_notice_received_in_the_future_is_refused(receive_notice):
    with _refused("received_on"):
        receive_notice(days_ago=-1)


def test_worker_records_the_delivery(receive_notice, people, today):
    notice = merit_notice_deliver(
        notice=receive_notice(), delivered_on=today, delivery_way="home", acting_user=people["worker"], note="母亲签收"
    )
    notice.refresh_from_db()
    assert notice.delivered_on == today and notice.delivered_by == people["worker"]
    assert notice.delivery_way == "home" and notice.delivery_note == "母亲签收"
    with _refused("delivered_on") as error:
        merit_notice_deliver(notice=notice, delivered_on=today, delivery_way="home", acting_user=people["worker"])
    assert "已于" in error.value.message


@pytest.mark.parametrize(("offset", "way", "field"), [(1, "home", "delivered_on"), (-10, "home", "delivered_on"),
                                                       (0, "post", "delivery_way")])  # fmt: skip
def test_impossible_deliveries_are_refused(receive_notice, people, today, offset, way, field):
    notice = receive_notice(days_ago=3)
    with _refused(field):
        merit_notice_deliver(
            notice=notice, delivered_on=today + offset * DAY, delivery_way=way, acting_user=people["worker"]
        )
    notice.refresh_from_db()
    assert notice.delivered_on is None


def test_worker_of_another_grid_cannot_deliver(receive_notice, people, today):
    notice = receive_notice()
    with pytest.raises(ApplicationError) as error:
        merit_notice_deliver(notice=notice, delivered_on=today, delivery_way="home", acting_user=people["other_worker"])
    assert error.value.code == "out_of_scope" and "刘桂英" not in error.value.message
    notice.refresh_from_db()
    assert notice.delivered_on is None


def test_delivery_keeps_a_clean_photo(receive_notice, people, today, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 10, 10)).save(buffer, format="PNG")
    photo = SimpleUploadedFile("喜报.png", buffer.getvalue(), content_type="image/png")
    notice = merit_notice_deliver(
        notice=receive_notice(), delivered_on=today, delivery_way="ceremony", acting_user=people["station"], photo=photo
    )
    assert notice.photo.name.endswith(".jpg")
