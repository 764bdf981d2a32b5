"""Files of every person the bureau serves: survivors and families as well as veterans."""

import datetime

import pytest

from audit.models import AuditAction, AuditEvent
from core.crypto.cipher import id_number_hash
from core.errors import ApplicationError
from grids.scoping import SYSTEM
from grids.tests.factories import GridFactory, make_staff
from veterans.models import (
    ChangeKind,
    PersonKind,
    PriorityCare,
    SoldierStatus,
    SourceSoldier,
    Veteran,
    VeteranChange,
)
from veterans.rules import missing_items
from veterans.services import veteran_create, veteran_set_priority_care, veteran_update
from veterans.tests.factories import MARTYR, make_survivor, make_veteran, next_id_number


def test_a_new_file_is_a_veteran_by_default(db):
    veteran = make_veteran()
    veteran.refresh_from_db()
    assert veteran.person_kind == PersonKind.VETERAN
    assert not SourceSoldier.objects.exists()


def test_martyrs_mother_is_filed_with_her_soldier(db):
    mother = make_survivor(name="刘桂英")
    mother.refresh_from_db()
    assert mother.person_kind == PersonKind.MARTYR_SURVIVOR
    assert mother.veteran_type == ""
    soldier = mother.source_soldier
    assert (soldier.name, soldier.relation, soldier.status) == ("王志刚", "parent", SoldierStatus.MARTYR)
    assert soldier.certificate_number == "LS-1984-0032"
    assert soldier.death_place == "云南老山"
    history = VeteranChange.objects.get(veteran=mother, field="source_soldier")
    assert history.kind == ChangeKind.CREATE
    assert "王志刚" in history.new_value
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(mother.pk)).exists()


def test_survivor_without_her_soldier_is_refused_and_nothing_stored(db):
    with pytest.raises(ApplicationError, match="烈士遗属的档案必须填写其来源军人") as error:
        make_survivor(soldier={})
    assert error.value.field == "soldier"
    assert not Veteran.objects.exists()
    assert not SourceSoldier.objects.exists()
    assert not VeteranChange.objects.exists()


def test_veteran_only_field_on_a_non_veteran_is_refused(db):
    with pytest.raises(ApplicationError, match="退役类别只适用于退役军人") as error:
        make_survivor(veteran_type="discharged_soldier")
    assert error.value.field == "veteran_type"
    with pytest.raises(ApplicationError, match="入伍时间只适用于退役军人"):
        make_survivor(enlistment_date=datetime.date(1960, 1, 1))
    assert not Veteran.objects.exists()
    assert not SourceSoldier.objects.exists()


def test_veteran_still_needs_a_veteran_type(db):
    with pytest.raises(ApplicationError, match="退役军人必须填写退役类别") as error:
        make_veteran(veteran_type="")
    assert error.value.field == "veteran_type"
    assert not Veteran.objects.exists()


def test_veteran_file_takes_no_source_soldier(db):
    with pytest.raises(ApplicationError, match="退役军人的档案不填写来源军人"):
        make_veteran(soldier=MARTYR)
    assert not Veteran.objects.exists()


def test_soldier_status_must_fit_the_kind(db):
    with pytest.raises(ApplicationError, match="来源军人状态应为“现役”"):
        make_survivor(person_kind="serving_family", soldier={**MARTYR, "status": "martyr"})
    assert not Veteran.objects.exists()


def test_serving_soldier_has_no_death_or_certificate(db):
    serving = {"name": "赵强", "unit": "某部", "relation": "parent"}
    with pytest.raises(ApplicationError, match="现役军人不填写牺牲"):
        make_survivor(person_kind="serving_family", soldier={**serving, "death_date": datetime.date(2020, 1, 1)})
    with pytest.raises(ApplicationError, match="烈士证书编号只适用于烈士"):
        make_survivor(person_kind="serving_family", soldier={**serving, "certificate_number": "X1"})
    family = make_survivor(person_kind="serving_family", soldier=serving)
    assert family.source_soldier.status == SoldierStatus.SERVING
    assert SourceSoldier.objects.count() == 1


def test_other_entitled_person_may_go_without_a_soldier(db):
    person = make_survivor(person_kind="other_entitled", soldier={})
    assert not SourceSoldier.objects.filter(person=person).exists()


def test_soldier_may_link_to_his_own_file_in_scope_only(db):
    grid = GridFactory()
    staff = make_staff(grids=[grid])
    own = make_veteran(grid, name="王志刚")
    elsewhere = make_veteran(name="别处的人")
    mother = make_survivor(grid, acting_user=staff, soldier={**MARTYR, "soldier_file": own})
    assert mother.source_soldier.soldier_file == own
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        make_survivor(grid, acting_user=staff, soldier={**MARTYR, "soldier_file": elsewhere})
    assert SourceSoldier.objects.count() == 1


def test_updating_the_soldier_writes_history_and_audit(db):
    mother = make_survivor()
    veteran_update(veteran=mother, acting_user=SYSTEM, soldier={"certificate_number": "LS-1984-0099"})
    mother.source_soldier.refresh_from_db()
    assert mother.source_soldier.certificate_number == "LS-1984-0099"
    change = VeteranChange.objects.get(veteran=mother, kind=ChangeKind.UPDATE)
    assert change.field == "source_soldier"
    assert "LS-1984-0032" in change.old_value and "LS-1984-0099" in change.new_value
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(mother.pk)).exists()


def test_removing_the_soldier_of_a_survivor_is_refused(db):
    mother = make_survivor()
    with pytest.raises(ApplicationError, match="必须填写其来源军人"):
        veteran_update(veteran=mother, acting_user=SYSTEM, soldier=None)
    assert SourceSoldier.objects.filter(person=mother).exists()


def test_a_veteran_becomes_a_family_member_only_without_service_history(db):
    veteran = make_veteran(branch="army")
    with pytest.raises(ApplicationError, match="只适用于退役军人"):
        veteran_update(veteran=veteran, acting_user=SYSTEM, person_kind="serving_family", veteran_type="")
    veteran.refresh_from_db()
    assert veteran.person_kind == PersonKind.VETERAN
    veteran_update(
        veteran=veteran,
        acting_user=SYSTEM,
        person_kind="serving_family",
        veteran_type="",
        branch="",
        soldier={"name": "张小兵", "relation": "parent"},
    )
    veteran.refresh_from_db()
    assert veteran.person_kind == PersonKind.SERVING_FAMILY
    assert veteran.source_soldier.status == SoldierStatus.SERVING
    assert set(VeteranChange.objects.filter(veteran=veteran, kind="update").values_list("field", flat=True)) >= {
        "person_kind",
        "veteran_type",
        "branch",
        "source_soldier",
    }


def test_survivor_completeness_does_not_ask_for_service_history(db):
    mother = make_survivor()
    keys = {item.key for item in missing_items(mother, family_count=0)}
    assert not keys & {"veteran_type", "branch", "enlistment_date", "discharge_date"}
    assert "family" in keys


def test_database_refuses_service_history_on_a_non_veteran(db):
    from django.db import IntegrityError, transaction

    mother = make_survivor()
    with pytest.raises(IntegrityError), transaction.atomic():
        Veteran.objects.filter(pk=mother.pk).update(veteran_type="discharged_soldier")
    with pytest.raises(IntegrityError), transaction.atomic():
        Veteran.objects.filter(pk=make_veteran().pk).update(veteran_type="")


def test_create_with_unknown_soldier_field_is_refused(db):
    with pytest.raises(ApplicationError, match="来源军人的未知字段"):
        veteran_create(
            grid=GridFactory(),
            acting_user=SYSTEM,
            name="刘桂英",
            id_number=next_id_number(gender="F"),
            person_kind="martyr_survivor",
            soldier={**MARTYR, "rank": "连长"},
        )
    assert not Veteran.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_every_existing_record_a_veteran():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("veterans", "0014_import_partial_and_layout")],
        [("veterans", "0015_person_kind_and_source_soldier")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    grid = GridFactory()
    OldVeteran = old_apps.get_model("veterans", "Veteran")
    OldVeteran.objects.create(
        name="老兵",
        gender="M",
        id_number=next_id_number(),
        id_tail="0000",
        birth_date=datetime.date(1950, 3, 4),
        veteran_type="demobilised",
        grid_id=grid.pk,
        community_id=grid.community_id,
        street_id=grid.community.street_id,
        district_id=grid.community.street.district_id,
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert list(Veteran.objects.values_list("person_kind", flat=True)) == [PersonKind.VETERAN]
    _migrate_to_the_end()


def _migrate_to_the_end() -> None:
    """Going back to a veterans migration took every app that depends on it back too."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_phone_card_shows_the_kind_and_the_soldier(client, tree):
    from django.urls import reverse

    mother = make_survivor(tree["grid_a11"])
    veteran = make_veteran(tree["grid_a11"], veteran_type="demobilised")
    client.force_login(make_staff(grids=[tree["grid_a11"]]))
    page = client.get(reverse("mobile:card", args=[mother.pk])).content.decode()
    assert '<dd id="person-kind">烈士遗属</dd>' in page
    assert "王志刚（烈士，本人系其父母）" in page
    page = client.get(reverse("mobile:card", args=[veteran.pk])).content.decode()
    assert '<dd id="person-kind">退役军人</dd>' in page and "复员军人" in page


def _categories(person) -> set[str]:
    return set(person.priority_care.values_list("category", flat=True))


def test_a_survivors_kind_carries_its_priority_category(db):
    mother = make_survivor()
    assert _categories(mother) == {"martyr_family"}
    widow = make_survivor(
        person_kind="died_on_duty_survivor",
        soldier={**MARTYR, "status": "died_on_duty", "certificate_number": ""},
        categories=[("korean_war", None)],
    )
    assert _categories(widow) == {"died_on_duty_family", "korean_war"}
    family = make_survivor(person_kind="serving_family", soldier={"name": "赵强", "relation": "parent"})
    assert _categories(family) == set()  # a serving soldier's family is no survivor


def test_the_kinds_category_stays_when_categories_are_set(db):
    mother = make_survivor()
    veteran_set_priority_care(veteran=mother, categories=[("korean_war", None)], acting_user=SYSTEM)
    assert _categories(mother) == {"martyr_family", "korean_war"}
    veteran_set_priority_care(veteran=mother, categories=[], acting_user=SYSTEM)
    assert _categories(mother) == {"martyr_family"}


def test_becoming_a_survivor_adds_the_category_with_history(db):
    person = make_survivor(person_kind="other_entitled", soldier={})
    assert _categories(person) == set()
    veteran_update(
        veteran=person, acting_user=SYSTEM, person_kind="martyr_survivor", soldier=MARTYR, reason="补录烈士证明"
    )
    assert _categories(person) == {"martyr_family"}
    row = VeteranChange.objects.get(veteran=person, field="priority_care")
    assert row.new_value == "烈士遗属" and row.reason == "补录烈士证明"


@pytest.mark.django_db(transaction=True)
def test_migration_gives_survivors_filed_before_the_link_their_category():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("veterans", "0016_person_file_label")], [("veterans", "0017_survivor_kind_categories")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        # The tables as they were then: rows written with the models of that time.
        OldVeteran = executor.loader.project_state(before).apps.get_model("veterans", "Veteran")
        grid = GridFactory()
        place = {
            "grid_id": grid.pk,
            "community_id": grid.community_id,
            "street_id": grid.community.street_id,
            "district_id": grid.community.street.district_id,
        }
        mother_number, veteran_number = next_id_number(gender="F"), next_id_number()
        mother = OldVeteran.objects.create(
            name="刘桂英", gender="F", id_number=mother_number, id_number_hash=id_number_hash(mother_number),
            id_tail="0000",
            birth_date=datetime.date(1940, 5, 6), person_kind="martyr_survivor", **place,
        )  # fmt: skip
        veteran = OldVeteran.objects.create(
            name="老兵", gender="M", id_number=veteran_number, id_number_hash=id_number_hash(veteran_number),
            id_tail="0001",
            birth_date=datetime.date(1950, 3, 4), veteran_type="demobilised", **place,
        )  # fmt: skip
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        found = dict(PriorityCare.objects.values_list("veteran_id", "category"))
        assert found == {mother.pk: "martyr_family"}
        assert veteran.pk not in found
    finally:
        _migrate_to_the_end()
