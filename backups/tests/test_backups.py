"""`manage.py backup` then `manage.py restore` into a fresh database: the same people, the same
money in every fund, the same ledger and the same audit trail, and the uploaded files back."""

import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from assistance.models import FundEntry, ReliefFund
from assistance.services import fund_pay, fund_receive
from audit.models import AuditEvent
from grids.models import Role
from grids.tests.factories import make_staff
from veterans.models import Veteran
from veterans.tests.factories import make_veteran

NAMES = {"王德顺", "李卫国", "赵红梅", "孙建军"}
QUERIES = {
    "names": "SELECT name FROM veterans_veteran",
    "balances": "SELECT name, balance FROM assistance_relieffund",
    "ledger_entries": "SELECT count(*) FROM assistance_fundentry",
    "audit_rows": "SELECT count(*) FROM audit_auditevent",
}


@pytest.fixture
def records(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "cases").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cases" / "invoice.pdf").write_bytes(b"%PDF-1.4 test %%EOF")
    staff = make_staff(tree["district"], role=Role.STATION_STAFF)
    for name, grid in zip(sorted(NAMES), ("grid_a11", "grid_a12", "grid_b11", "grid_b21"), strict=True):
        make_veteran(tree[grid], name=name, acting_user=staff)
    district_fund = ReliefFund.objects.create(name="和平区帮扶基金", level="district", district=tree["district"])
    care_fund = ReliefFund.objects.create(name="和平区关爱基金", level="district", district=tree["district"])
    fund_receive(
        fund=district_fund,
        kind="donation",
        amount="12345.67",
        acting_user=staff,
        donor_kind="enterprise",
        donor_name="爱心企业",
    )
    fund_receive(fund=care_fund, kind="allocation", amount="5000", acting_user=staff)
    fund_pay(fund=care_fund, amount="800", acting_user=staff, reference="临时困难补助")


def _read(cursor) -> dict:
    found = {}
    for key, sql in QUERIES.items():
        cursor.execute(sql)
        rows = cursor.fetchall()
        if key == "names":
            found[key] = sorted(row[0] for row in rows)
        elif key == "balances":
            found[key] = {name: Decimal(str(balance)).quantize(Decimal("0.01")) for name, balance in rows}
        else:
            found[key] = rows[0][0]
    return found


def _restored_sqlite(tmp_path, folder: Path) -> dict:
    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(folder), database=str(target), stdout=io.StringIO())
    with sqlite3.connect(target) as restored:
        return _read(restored.cursor())


def _restored_postgres(folder: Path) -> dict:
    db = connection.settings_dict
    fresh = f"{db['NAME']}_restored"
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        call_command("restore", str(folder), database=fresh, stdout=io.StringIO())
        restored = psycopg2.connect(dbname=fresh, **params)
        try:
            with restored.cursor() as cursor:
                return _read(cursor)
        finally:
            restored.close()  # psycopg2's context manager commits but does not close
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_commands_bring_back_the_same_people_money_ledger_audit_and_files(
    records, settings, tmp_path
):
    before = {
        "names": sorted(Veteran.objects.values_list("name", flat=True)),
        "balances": dict(ReliefFund.objects.values_list("name", "balance")),
        "ledger_entries": FundEntry.objects.count(),
        "audit_rows": AuditEvent.objects.count(),
    }
    # What the records above must amount to, by hand: the comparison is not of two empty databases.
    assert before["names"] == sorted(NAMES)
    assert before["balances"] == {"和平区帮扶基金": Decimal("12345.67"), "和平区关爱基金": Decimal("4200.00")}
    assert before["ledger_entries"] == 3  # two receipts, one payment
    assert before["audit_rows"] == 1 + 4 + 3  # the account, four veterans, three ledger entries

    out = io.StringIO()
    call_command("backup", dir=str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    assert folder.parent == tmp_path / "backups" and folder.is_dir()
    invoice = settings.MEDIA_ROOT / "cases" / "invoice.pdf"
    invoice.unlink()  # lost with the server
    restored = _restored_postgres(folder) if connection.vendor == "postgresql" else _restored_sqlite(tmp_path, folder)
    assert restored == before
    # The live database records the copy and the restore, with who ran them.
    backup_row = AuditEvent.objects.get(action="backup")
    restore_row = AuditEvent.objects.get(action="restore")
    assert backup_row.detail["folder"] == str(folder) and backup_row.actor_username.startswith("manage.py backup")
    assert restore_row.detail["folder"] == str(folder) and restore_row.detail["into"] != "default"
    assert invoice.read_bytes().startswith(b"%PDF")
