import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import ApplicationError
from pairing.models import Pair, PairContact, PairGift
from pairing.services import pair_contact_record, pair_end, pair_gift_record, pair_update
from pairing.tests.conftest import START
from veterans.services import veteran_remove

DAY = datetime.timedelta(days=1)


def test_a_pair_is_placed_in_the_persons_grid_and_audited(make_pair, persons):
    pair = make_pair(contact_phone="139 0000 1234")
    assert (pair.grid_id, pair.street_id, pair.active) == (persons["old"].grid_id, persons["old"].street_id, True)
    assert Pair.objects.get(pk=pair.pk).contact_phone == "139 0000 1234"
    assert AuditEvent.objects.filter(object_type="pairing.pair", object_id=str(pair.pk)).exists()


def test_a_second_active_pair_of_the_same_kind_is_refused_naming_the_first(make_pair):
    make_pair()
    with pytest.raises(ApplicationError) as error:
        make_pair(partner_name="陈干部")
    assert "刘干部" in error.value.message and error.value.field == "partner_kind"
    make_pair(partner_kind="volunteer", partner_name="志愿者小周")  # another kind is fine
    assert Pair.objects.filter(active=True).count() == 2


def test_after_ending_a_pair_a_new_one_of_that_kind_may_start(make_pair, people):
    pair = make_pair()
    pair_end(pair=pair, ended_on=START + DAY, end_reason="partner_left", acting_user=people["station"])
    make_pair(partner_name="陈干部", started_on=START + DAY)
    assert list(Pair.objects.order_by("id").values_list("active", flat=True)) == [False, True]


@pytest.mark.parametrize(
    ("started_on", "words"),
    [
        (timezone.localdate() + DAY, "不能晚于今天"),
        (datetime.date(1938, 4, 30), "不能早于出生日期"),
    ],
)
def test_a_start_in_the_future_or_before_birth_is_refused(make_pair, started_on, words):
    with pytest.raises(ApplicationError) as error:
        make_pair(started_on=started_on)
    assert words in error.value.message and error.value.field == "started_on"
    assert not Pair.objects.exists()


def test_an_enterprise_pair_needs_the_enterprise(make_pair):
    with pytest.raises(ApplicationError) as error:
        make_pair(partner_kind="enterprise", partner_name="张经理")
    assert error.value.field == "partner_organisation"


def test_a_person_out_of_scope_is_refused_without_a_word_about_them(make_pair, persons, people):
    with pytest.raises(ApplicationError) as error:
        make_pair(persons["theirs"])
    assert error.value.code == "out_of_scope" and "李长青" not in error.value.message
    assert not Pair.objects.exists()


def test_grid_workers_may_not_start_pairs(make_pair, people):
    with pytest.raises(ApplicationError) as error:
        make_pair(by=people["worker"])
    assert error.value.code == "forbidden"


def test_the_partner_account_must_cover_the_persons_area(make_pair, people):
    with pytest.raises(ApplicationError) as error:
        make_pair(partner_user=people["other_worker"], partner_kind="grid_worker")
    assert error.value.field == "partner_user"


def test_a_staff_partner_fills_the_files_paired_staff_and_ending_clears_it(make_pair, people, persons):
    pair = make_pair(partner_user=people["worker"], partner_kind="grid_worker", partner_name="")
    persons["old"].refresh_from_db()
    assert pair.partner_name == "测试人员"
    assert persons["old"].paired_staff == people["worker"].staff_profile
    pair_end(pair=pair, ended_on=START, end_reason="partner_left", acting_user=people["station"])
    persons["old"].refresh_from_db()
    assert persons["old"].paired_staff is None


def test_a_deceased_or_removed_person_cannot_be_paired(make_pair, persons, people):
    veteran_remove(veteran=persons["old"], reason="重复建档", acting_user=people["station"])
    with pytest.raises(ApplicationError) as error:
        make_pair()
    assert "已注销" in error.value.message


def test_an_end_before_the_start_or_the_last_contact_is_refused(make_pair, people):
    pair = make_pair()
    with pytest.raises(ApplicationError) as error:
        pair_end(pair=pair, ended_on=START - DAY, end_reason="other", acting_user=people["station"])
    assert "不能早于结对日期" in error.value.message
    pair_contact_record(pair=pair, contacted_on=START + 5 * DAY, acting_user=people["worker"])
    with pytest.raises(ApplicationError) as error:
        pair_end(pair=pair, ended_on=START + DAY, end_reason="other", acting_user=people["station"])
    assert "最近一次结对走访" in error.value.message
    pair.refresh_from_db()
    assert pair.active and pair.ended_on is None


def test_contacts_are_kept_within_the_pairs_active_period(make_pair, people):
    pair = make_pair()
    pair_end(pair=pair, ended_on=START + 10 * DAY, end_reason="other", acting_user=people["station"])
    for day, words in [(START - DAY, "不能早于结对日期"), (START + 11 * DAY, "不能晚于结对解除日期")]:
        with pytest.raises(ApplicationError) as error:
            pair_contact_record(pair=pair, contacted_on=day, acting_user=people["worker"])
        assert words in error.value.message and error.value.field == "contacted_on"
    contact = pair_contact_record(pair=pair, contacted_on=START + 10 * DAY, way="phone", acting_user=people["worker"])
    assert (contact.recorded_by, PairContact.objects.count()) == (people["worker"], 1)


def test_a_contact_in_the_future_is_refused(make_pair, people):
    pair = make_pair()
    with pytest.raises(ApplicationError) as error:
        pair_contact_record(pair=pair, contacted_on=timezone.localdate() + DAY, acting_user=people["worker"])
    assert "不能晚于今天" in error.value.message


def test_a_worker_of_another_grid_cannot_record_a_contact(make_pair, people):
    pair = make_pair()
    with pytest.raises(ApplicationError) as error:
        pair_contact_record(pair=pair, contacted_on=START, acting_user=people["other_worker"])
    assert error.value.code == "out_of_scope" and "王德顺" not in error.value.message
    assert not PairContact.objects.exists()


@pytest.mark.parametrize("value", [Decimal("-0.01"), 12.5, "abc"])
def test_a_gift_value_must_be_an_exact_amount_not_below_zero(make_pair, people, value):
    pair = make_pair(partner_kind="enterprise", partner_name="张经理", partner_organisation="镇坪县富民农业公司")
    with pytest.raises(ApplicationError) as error:
        pair_gift_record(pair=pair, given_on=START, description="米面油", value=value, acting_user=people["station"])
    assert error.value.field == "value"
    assert not PairGift.objects.exists()


def test_a_gift_is_kept_in_decimal_yuan(make_pair, people):
    pair = make_pair(partner_kind="enterprise", partner_name="张经理", partner_organisation="镇坪县富民农业公司")
    pair_gift_record(pair=pair, given_on=START, description="米面油", value="300.50", acting_user=people["station"])
    pair_gift_record(pair=pair, given_on=START, description="介绍就业岗位", acting_user=people["station"])
    assert list(PairGift.objects.order_by("id").values_list("value", flat=True)) == [Decimal("300.50"), None]


def test_the_partners_details_can_be_corrected_keeping_the_phone(make_pair, people):
    pair = make_pair(contact_phone="13900001234")
    pair_update(pair=pair, partner_name="刘建华", note="镇党委委员", acting_user=people["station"])
    pair.refresh_from_db()
    assert (pair.partner_name, pair.note, pair.contact_phone) == ("刘建华", "镇党委委员", "13900001234")
