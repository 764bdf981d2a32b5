"""The station's pages: a pair added (with a cadre who has no account), contacts and gifts added
inline through the services, a pair ended, the ledger, the coverage list and the workbench."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from exports.tests.helpers import direct_and_background, forged_rows
from pairing.models import Pair, PairContact, PairGift
from pairing.services import pair_contact_record
from pairing.tests.conftest import START


def _inlines(**rows):
    data = {}
    for prefix, values in rows.items():
        data |= {f"{prefix}-TOTAL_FORMS": "1" if values else "0", f"{prefix}-INITIAL_FORMS": "0"}
        data |= {f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
        data |= {f"{prefix}-0-{key}": value for key, value in (values or {}).items()}
    return data


def test_station_pairs_an_old_veteran_with_a_cadre_who_is_not_a_user(client, people, persons):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:pairing_pair_add"),
        {
            "veteran": persons["old"].pk,
            "partner_kind": "cadre",
            "partner_name": "刘建华",
            "partner_organisation": "甲街道办事处",
            "contact_phone": "13900001234",
            "started_on": START.isoformat(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    pair = Pair.objects.get()
    assert (pair.partner_name, pair.partner_user, pair.created_by) == ("刘建华", None, people["station"])
    listing = client.get(reverse("admin:pairing_pair_changelist")).content.decode()
    assert "139****1234" in listing and "13900001234" not in listing


def test_a_start_before_birth_is_shown_beside_its_field_and_nothing_saved(client, people, persons):
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:pairing_pair_add"),
        {"veteran": persons["old"].pk, "partner_kind": "cadre", "partner_name": "刘建华", "started_on": "1930-01-01"},
    )
    assert response.status_code == 200
    assert "不能早于出生日期" in str(response.context["adminform"].form.errors["started_on"])
    assert not Pair.objects.exists()


def test_contacts_and_gifts_are_added_inline_and_the_pair_ended(client, people, make_pair):
    pair = make_pair(partner_kind="enterprise", partner_name="张经理", partner_organisation="富民农业公司")
    client.force_login(people["station"])
    url = reverse("admin:pairing_pair_change", args=[pair.pk])
    base = {"partner_name": "张经理", "partner_organisation": "富民农业公司", "note": "", "new_phone": ""}
    contact = {"contacted_on": START.isoformat(), "way": "home_visit", "note": "送去春节慰问"}
    gift = {"given_on": START.isoformat(), "description": "米面油", "value": "300.00"}
    response = client.post(url, base | _inlines(contacts=contact, gifts=gift))
    assert response.status_code == 302
    assert PairContact.objects.get().recorded_by == people["station"]
    assert str(PairGift.objects.get().value) == "300.00"
    late = {"contacted_on": (START - datetime.timedelta(days=1)).isoformat(), "way": "phone"}
    response = client.post(url, base | _inlines(contacts=late, gifts=None))
    assert response.status_code == 200 and PairContact.objects.count() == 1
    ending = {"ended_on": START.isoformat(), "end_reason": "not_needed"}
    response = client.post(url, base | ending | _inlines(contacts=None, gifts=None))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.active, pair.ended_on) == (False, START)


def test_a_pair_of_another_street_cannot_be_opened(client, people, persons, make_pair):
    pair = make_pair(persons["theirs"], by=people["other_station"])
    client.force_login(people["station"])
    response = client.get(reverse("admin:pairing_pair_change", args=[pair.pk]))
    assert response.status_code == 302  # the admin's "does not exist": nothing about it shown
    assert "李长青" not in client.get(reverse("admin:pairing_pair_changelist")).content.decode()


def test_the_ledger_holds_the_users_pairs_with_what_they_did(client, people, persons, make_pair):
    pair = make_pair(contact_phone="13900001234")
    pair_contact_record(pair=pair, contacted_on=START, acting_user=people["worker"])
    make_pair(persons["theirs"], by=people["other_station"])
    client.force_login(people["station"])
    response = client.post(
        reverse("admin:pairing_pair_changelist"),
        {"action": "export_ledger", "_selected_action": [p.pk for p in Pair.objects.all()]},
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "导出信息" in workbook.sheetnames
    rows = [row for row in workbook.worksheets[0].iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert len(rows) == 1
    assert "王德顺" in rows[0] and "139****1234" in rows[0] and "13900001234" not in rows[0]
    assert rows[0][-4:-1] == (1, datetime.datetime.combine(START, datetime.time()), 0)


def test_the_workbench_counts_key_people_without_a_pair_and_links_to_them(client, people, persons, make_pair):
    client.force_login(people["station"])
    page = client.get(reverse("admin:index")).content.decode()
    assert "重点群体未结对" in page
    link = reverse("admin:pairing_coverageperson_changelist") + "?key_group=any&amp;paired=no"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).context["cl"]
    assert [p.name for p in listed.queryset] == ["王德顺"]  # 80+; young is in no key group
    make_pair()
    assert client.get(link.replace("&amp;", "&")).context["cl"].result_count == 0


def test_the_pair_and_coverage_lists_cost_the_same_queries_whatever_their_length(client, people, tree, make_pair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from veterans.tests.factories import make_veteran

    client.force_login(people["station"])

    def cost():
        sizes = []
        for name in ("admin:pairing_pair_changelist", "admin:pairing_coverageperson_changelist"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name)).status_code == 200
            sizes.append(len(queries))
        return sizes

    make_pair()
    cost()  # the session and the scope are cached from here on
    before = cost()
    for n in range(4):
        make_pair(make_veteran(tree["grid_a12"], name=f"老兵{n}"))
    assert cost() == before


def test_a_big_ledger_is_built_in_the_background_as_the_file_would_be(
    client, people, persons, make_pair, settings, django_capture_on_commit_callbacks
):
    pair = make_pair(contact_phone="13900001234")
    pair_contact_record(pair=pair, contacted_on=START, acting_user=people["worker"])
    make_pair(persons["young"], partner_name="陈书记")
    make_pair(persons["theirs"], by=people["other_station"])
    client.force_login(people["station"])
    everything = {"action": "export_ledger", "_selected_action": [p.pk for p in Pair.objects.all()]}
    direct, background, job = direct_and_background(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("admin:pairing_pair_changelist"), everything),
    )
    assert background == direct and job.ledger == "pairing"
    assert {row[2] for row in background[1:]} == {"王德顺", "赵小兵"}
    assert "139****1234" in {row[9] for row in background[1:]}  # phones masked in the worker too
    forged = forged_rows(
        django_capture_on_commit_callbacks, ledger_key="pairing", queryset=Pair.objects.all(), user=people["station"]
    )
    assert {row[2] for row in forged[1:]} == {"王德顺", "赵小兵"}  # not the other street's
