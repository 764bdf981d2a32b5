"""The admin files and changes every kind of person, with the soldier on the same form."""

import re

from django.urls import reverse

from core.crypto.cipher import id_number_hash
from grids.tests.factories import make_staff
from veterans.models import ChangeKind, PersonKind, SoldierStatus, SourceSoldier, Veteran, VeteranChange
from veterans.tests.factories import make_survivor, make_veteran, next_id_number

NO_INLINES = {
    "priority_care-TOTAL_FORMS": "0",
    "priority_care-INITIAL_FORMS": "0",
    "family-TOTAL_FORMS": "0",
    "family-INITIAL_FORMS": "0",
    "honours-TOTAL_FORMS": "0",
    "honours-INITIAL_FORMS": "0",
}


def _mother(tree, number, **extra):
    return {
        "grid": tree["grid_a12"].pk,
        "name": "刘桂英",
        "id_number": number,
        "person_kind": "martyr_survivor",
        "life_status": "alive",
        "soldier_name": "王志刚",
        "soldier_unit": "某部三营",
        "soldier_relation": "parent",
        "soldier_death_date": "1984-07-12",
        "soldier_death_place": "云南老山",
        "soldier_certificate_number": "LS-1984-0032",
        **NO_INLINES,
        **extra,
    }


def test_martyrs_mother_is_filed_through_the_admin(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    number = next_id_number(gender="F")
    response = client.post(reverse("admin:veterans_veteran_add"), _mother(tree, number))
    assert response.status_code == 302, response.content.decode()[-3000:]
    mother = Veteran.objects.get(id_number_hash=id_number_hash(number))
    assert mother.person_kind == PersonKind.MARTYR_SURVIVOR
    soldier = mother.source_soldier
    assert (soldier.name, soldier.status, soldier.certificate_number) == (
        "王志刚",
        SoldierStatus.MARTYR,
        "LS-1984-0032",
    )
    assert VeteranChange.objects.filter(veteran=mother, kind=ChangeKind.CREATE, field="source_soldier").exists()


def test_admin_refuses_a_survivor_without_her_soldier_and_saves_nothing(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    data = _mother(tree, next_id_number(gender="F"), soldier_name="", soldier_certificate_number="")
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 200
    assert "烈士遗属的档案必须填写其来源军人" in response.content.decode()
    assert not Veteran.objects.exists()
    assert not SourceSoldier.objects.exists()


def test_admin_refuses_veteran_type_on_a_survivor(client, tree):
    client.force_login(make_staff(tree["community_a1"]))
    data = _mother(tree, next_id_number(gender="F"), veteran_type="demobilised")
    response = client.post(reverse("admin:veterans_veteran_add"), data)
    assert response.status_code == 200
    assert "退役类别只适用于退役军人" in response.content.decode(), re.findall(
        r"errorlist.{0,300}", response.content.decode()
    )
    assert not Veteran.objects.exists()


def test_admin_change_form_shows_and_changes_the_soldier(client, tree):
    mother = make_survivor(tree["grid_a12"])
    client.force_login(make_staff(tree["community_a1"]))
    url = reverse("admin:veterans_veteran_change", args=[mother.pk])
    page = client.get(url).content.decode()
    assert "王志刚" in page and "来源军人" in page and "人员类别" in page
    data = {
        "name": mother.name,
        "id_number": mother.id_number,
        "person_kind": "martyr_survivor",
        "life_status": "alive",
        "phone": mother.phone,
        "soldier_name": "王志刚",
        "soldier_unit": "某部三营",
        "soldier_relation": "parent",
        "soldier_status": "martyr",
        "soldier_death_date": "1984-07-12",
        "soldier_death_place": "云南老山",
        "soldier_certificate_number": "LS-1984-0099",
        **NO_INLINES,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    mother.source_soldier.refresh_from_db()
    assert mother.source_soldier.certificate_number == "LS-1984-0099"
    assert VeteranChange.objects.filter(veteran=mother, kind=ChangeKind.UPDATE, field="source_soldier").exists()


def test_admin_list_filters_by_person_kind(client, tree):
    make_veteran(tree["grid_a11"], name="老兵甲")
    make_survivor(tree["grid_a11"], name="遗属乙")
    client.force_login(make_staff(tree["community_a1"]))
    page = client.get(reverse("admin:veterans_veteran_changelist"), {"person_kind": "martyr_survivor"})
    content = page.content.decode()
    assert "遗属乙" in content and "老兵甲" not in content
