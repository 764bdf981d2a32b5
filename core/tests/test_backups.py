"""A backup restores into a fresh database with the same records, fund balances and files."""

import sqlite3

import psycopg2
import pytest
from django.db import connection

from assistance.models import ReliefFund
from assistance.services import fund_receive
from core.backups import backup, restore
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.tests.factories import make_veteran


@pytest.fixture
def records(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "cases").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cases" / "invoice.pdf").write_bytes(b"%PDF-1.4 test %%EOF")
    staff = make_staff(tree["district"], role=Role.STATION_STAFF)
    veteran = make_veteran(tree["grid_a11"], name="王德顺")
    fund = ReliefFund.objects.create(name="帮扶基金", level="district", district=tree["district"])
    fund_receive(
        fund=fund, kind="donation", amount="12345.67", acting_user=staff, donor_kind="enterprise", donor_name="爱心企业"
    )
    return {"veteran": veteran, "fund": fund}


def _restored_sqlite(tmp_path, folder):
    target = tmp_path / "restored.sqlite3"
    restore(folder, database=str(target))
    with sqlite3.connect(target) as restored:
        names = [row[0] for row in restored.execute("SELECT name FROM veterans_veteran")]
        balance = restored.execute("SELECT balance FROM assistance_relieffund").fetchone()[0]
    return names, str(balance)


def _restored_postgres(folder):
    db = connection.settings_dict
    fresh = f"{db['NAME']}_restored"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore(folder, database=fresh)
        restored = psycopg2.connect(dbname=fresh, **params)
        try:
            with restored.cursor() as cursor:
                cursor.execute("SELECT name FROM veterans_veteran")
                names = [row[0] for row in cursor.fetchall()]
                cursor.execute("SELECT balance FROM assistance_relieffund")
                balance = cursor.fetchone()[0]
        finally:
            restored.close()  # psycopg2's context manager commits but does not close
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()
    return names, str(balance)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_records_and_files(records, settings, tmp_path):
    folder = backup(tmp_path / "backups")
    invoice = settings.MEDIA_ROOT / "cases" / "invoice.pdf"
    invoice.unlink()  # lost with the server
    if connection.vendor == "postgresql":
        names, balance = _restored_postgres(folder)
    else:
        names, balance = _restored_sqlite(tmp_path, folder)
    assert names == ["王德顺"] and balance == "12345.67"
    assert invoice.read_bytes().startswith(b"%PDF")
