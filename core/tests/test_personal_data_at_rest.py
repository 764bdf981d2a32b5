"""ID and phone numbers at rest: encrypted in every table, found by keyed hash, keys rotatable,
and personal-data exports carry who exported them and when."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from openpyxl import load_workbook

from core.crypto import cipher as crypto
from core.crypto.sealing import reseal_table
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.models import FamilyMember, Veteran
from veterans.selectors import search_veterans
from veterans.tests.factories import make_veteran, next_id_number

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13812345678"


def _stored(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def _text_columns():
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model._meta.db_table, field.column


def _tables_holding(text: str) -> list[str]:
    """Every text column of every table in which `text` appears: what a dump would show."""
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',
                [f"%{text}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


@pytest.fixture
def veteran(tree):
    veteran = make_veteran(tree["grid_a11"], phone=PHONE)
    FamilyMember.objects.create(veteran=veteran, name="李芳", relation="spouse", phone="13700001111")
    return veteran


def test_numbers_are_stored_encrypted_and_read_back_clear(veteran):
    stored_id = _stored("veterans_veteran", "id_number", veteran.pk)
    assert veteran.id_number not in stored_id and PHONE not in _stored("veterans_veteran", "phone", veteran.pk)
    assert crypto.decrypt(stored_id) == veteran.id_number
    fresh = Veteran.objects.get(pk=veteran.pk)
    assert (fresh.id_number, fresh.phone, fresh.family.get().phone) == (veteran.id_number, PHONE, "13700001111")


def test_no_table_holds_a_number_in_the_clear(veteran, tree, client):
    """What a stolen dump would show, after the record was created, edited, searched, revealed
    and exported (history, audit and everything else included)."""
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    client.force_login(station)
    assert client.get("/api/veterans/", {"q": veteran.id_number}).json()["count"] == 1
    assert client.get(f"/api/veterans/{veteran.pk}/identity/").status_code == 200
    client.get("/veterans/ledgers/classification.xlsx", {"unmasked": "1"})
    assert _tables_holding(veteran.id_number) == []
    assert _tables_holding(PHONE) == []
    assert _tables_holding("13700001111") == []


def test_lookup_by_full_number_goes_through_the_keyed_hash(veteran):
    stored_hash = _stored("veterans_veteran", "id_number_hash", veteran.pk)
    assert len(stored_hash) == 64 and veteran.id_number not in stored_hash
    assert list(search_veterans(Veteran.objects.all(), veteran.id_number.lower())) == [veteran]
    assert list(search_veterans(Veteran.objects.all(), PHONE)) == [veteran]


def test_comparing_an_encrypted_column_is_refused_not_silently_wrong(veteran):
    with pytest.raises(FieldError):
        list(Veteran.objects.filter(id_number=veteran.id_number))
    with pytest.raises(FieldError):
        list(Veteran.objects.filter(phone__startswith="138"))
    assert Veteran.objects.filter(pk=veteran.pk).exclude(phone="").exists()


def test_the_database_refuses_a_second_live_record_with_the_same_number(veteran):
    twin = Veteran.objects.get(pk=veteran.pk)
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_keys_rotate_without_losing_a_record(veteran, settings):
    old = crypto.encryption_keys()
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old]
    settings.FIELD_HASH_KEY = "a-new-hash-key-" + "x" * 30
    call_command("rotate_field_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone: everything must still read
    fresh = Veteran.objects.get(pk=veteran.pk)
    assert (fresh.id_number, fresh.phone) == (veteran.id_number, PHONE)
    assert Fernet(new_key.encode()).decrypt(_stored("veterans_veteran", "id_number", veteran.pk).encode())
    assert list(search_veterans(Veteran.objects.all(), veteran.id_number)) == [veteran]


def test_the_migration_step_seals_clear_values_already_stored(tree):
    veteran = make_veteran(tree["grid_a11"], phone=PHONE)
    clear_id = next_id_number()
    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "veterans_veteran" SET id_number = %s, phone = %s, id_number_hash = %s WHERE id = %s',
            [clear_id, PHONE, "", veteran.pk],
        )
    hashes = {"id_number_hash": ("id_number", crypto.id_number_hash), "phone_hash": ("phone", crypto.phone_hash)}
    reseal_table(connection, "veterans_veteran", ["id_number", "phone"], hashes, clear=True)
    assert Veteran.objects.get(pk=veteran.pk).id_number == clear_id
    assert _stored("veterans_veteran", "id_number_hash", veteran.pk) == crypto.id_number_hash(clear_id)
    assert clear_id not in _stored("veterans_veteran", "id_number", veteran.pk)


def test_production_check_demands_real_keys():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        SECRET_KEY="k3y-" + "Zx9!q" * 12, ALLOWED_HOSTS="vg.example.gov.cn", DJANGO_SETTINGS_MODULE="config.settings"
    )
    env.pop("FIELD_ENCRYPTION_KEYS", None)
    env.pop("FIELD_HASH_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "core.E101" in result.stderr + result.stdout and "core.E102" in result.stderr + result.stdout


def test_a_personal_data_export_names_who_exported_it_and_when(veteran, tree, client):
    station = make_staff(tree["street_a"], role=Role.STATION_STAFF)
    station.first_name = "王站长"
    station.save(update_fields=["first_name"])
    client.force_login(station)
    response = client.get("/veterans/ledgers/classification.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    info = {row[0]: row[1] for row in book["导出信息"].iter_rows(values_only=True)}
    assert info["导出人"] == "王站长"
    exported_at = datetime.datetime.strptime(info["导出时间"], "%Y-%m-%d %H:%M:%S")
    assert abs(exported_at - timezone.localtime().replace(tzinfo=None)) < datetime.timedelta(minutes=2)
    assert info["记录数"] == 1
