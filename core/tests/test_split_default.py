"""`manage.py split_default_partition` (PostgreSQL): rows dated outside every month leave the
default partition for months of their own, with the parent's indexes, trigger and grants."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.tests.helpers import application_role
from core.db.partitions import add_month_partitions, default_rows_by_month, partitions, split_default

MARCH_2019 = datetime.datetime(2019, 3, 14, 9, tzinfo=datetime.UTC)
JULY_2019 = datetime.datetime(2019, 7, 31, 23, 30, tzinfo=datetime.UTC)  # 8月1日 in Beijing: still July in UTC
MAY_2035 = datetime.datetime(2035, 5, 9, 3, tzinfo=datetime.UTC)


def _value(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _split(**options) -> str:
    out = io.StringIO()
    call_command("split_default_partition", stdout=out, **options)
    return out.getvalue()


def _where(table: str) -> dict[str, int]:
    """Rows by the partition that holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text, count(*) FROM {table} GROUP BY 1")
        return dict(cursor.fetchall())


def _index_shapes(partition: str) -> list[str]:
    """The partition's index definitions without their names, attached to an index of the parent."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') FROM pg_index i"
            " JOIN pg_inherits h ON h.inhrelid = i.indexrelid WHERE i.indrelid = %s::regclass ORDER BY 1",
            [partition],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def months_dropped_after(postgres):
    """A test's flush empties the tables but keeps their partitions: the months a test adds go after it."""
    before = {table: set(partitions(table)) for table in ("visits_visit", "audit_auditevent")}
    yield
    with connection.cursor() as cursor:
        for table, names in before.items():
            for name in set(partitions(table)) - names:
                cursor.execute(f"DROP TABLE {name}")


@pytest.fixture
def old_visits(months_dropped_after, tree):
    """Three visits of March 2019, two of July 2019 and one of May 2035: all in the default partition."""
    from grids.models import Role
    from grids.tests.factories import make_staff
    from veterans.tests.factories import make_veteran
    from visits.models import Visit

    veteran = make_veteran(tree["grid_a11"])
    worker = make_staff(tree["grid_a11"], role=Role.GRID_WORKER)
    for at, count in ((MARCH_2019, 3), (JULY_2019, 2), (MAY_2035, 1)):
        for _ in range(count):
            visit = Visit(veteran=veteran, visited_at=at, method="home", recorded_by=worker)
            visit.place_in_grid(tree["grid_a11"])
            visit.save()
    assert _where("visits_visit") == {"visits_visit_default": 6}


@pytest.mark.django_db(transaction=True)
def test_one_month_moves_into_a_partition_of_its_own_and_the_other_months_stay(old_visits):
    ids = _value("SELECT array_agg(id ORDER BY id) FROM visits_visit")
    notices = connection.connection.notices
    del notices[:]
    with connection.cursor() as cursor:
        cursor.execute("SET client_min_messages = debug1")  # to hear that ATTACH need not scan the month
    try:
        output = _split(table="visits_visit", month="2019-03")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET client_min_messages")
    assert 'partition constraint for table "visits_visit_p201903" is implied by existing constraints' in "".join(
        notices
    )
    assert "visits_visit 2019-03：已将 3 行从默认分区移入 visits_visit_p201903" in output
    assert "共移动 3 行，新建月分区 1 个。" in output
    assert _where("visits_visit") == {"visits_visit_p201903": 3, "visits_visit_default": 3}
    assert _value("SELECT array_agg(id ORDER BY id) FROM visits_visit") == ids
    assert _value("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'visits_visit_p201903'") == (
        "FOR VALUES FROM ('2019-03-01 00:00:00+00') TO ('2019-04-01 00:00:00+00')"
    )
    # The same indexes as a month the daily job made, each attached to the parent's; no bounds check left.
    this_month = partitions("visits_visit")[-2]
    assert _index_shapes("visits_visit_p201903") == _index_shapes(this_month)
    assert len(_index_shapes(this_month)) == _value(
        "SELECT count(*) FROM pg_index WHERE indrelid = 'visits_visit'::regclass"
    )
    assert _value("SELECT count(*) FROM pg_indexes WHERE tablename = 'visits_visit_p201903'") == _value(
        "SELECT count(*) FROM pg_indexes WHERE tablename = %s", [this_month]
    )
    assert not _value("SELECT count(*) FROM pg_constraint WHERE conname LIKE '%%_bounds'")
    # Queries for the month read it alone; the default is no longer read for it.
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT * FROM visits_visit WHERE visited_at >= '2019-03-01' AND visited_at < '2019-03-20'"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "visits_visit_p201903" in plan and "visits_visit_default" not in plan


@pytest.mark.django_db(transaction=True)
def test_every_month_of_the_default_moves_and_a_second_run_finds_nothing(old_visits):
    output = _split()
    assert "visits_visit 2019-07：已将 2 行从默认分区移入 visits_visit_p201907" in output
    assert "visits_visit 2035-05：已将 1 行从默认分区移入 visits_visit_p203505" in output
    assert "共移动 6 行，新建月分区 3 个。" in output
    assert _where("visits_visit") == {"visits_visit_p201903": 3, "visits_visit_p201907": 2, "visits_visit_p203505": 1}
    names = partitions("visits_visit")
    assert _split() == "共移动 0 行，新建月分区 0 个。\n"
    assert split_default("visits_visit") == {}
    assert partitions("visits_visit") == names


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_counts_each_month_and_changes_nothing(old_visits):
    """The daily job, which leaves a month of the default where it is, names the command."""
    names = partitions("visits_visit")
    notices = connection.connection.notices
    del notices[:]
    assert add_month_partitions("visits_visit", datetime.date(2035, 5, 1), datetime.date(2035, 5, 1)) == 0
    assert "HINT:  manage.py split_default_partition --table visits_visit --month 2035-05" in "".join(notices)
    output = _split(dry_run=True)
    assert output.splitlines() == [
        "visits_visit 2019-03：默认分区中有 3 行，将移入 visits_visit_p201903",
        "visits_visit 2019-07：默认分区中有 2 行，将移入 visits_visit_p201907",
        "visits_visit 2035-05：默认分区中有 1 行，将移入 visits_visit_p203505",
        "试运行，未作改动：共 6 行、3 个月待移出默认分区。",
    ]
    assert _split(table="visits_visit", month="2019-07", dry_run=True).splitlines()[0] == (
        "visits_visit 2019-07：默认分区中有 2 行，将移入 visits_visit_p201907"
    )
    assert partitions("visits_visit") == names
    assert _where("visits_visit") == {"visits_visit_default": 6}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"table": "auth_user"}, "没有名为 auth_user 的分区表"),
        ({"table": "visits_visit; DROP TABLE auth_user"}, "没有名为"),
        ({"table": "visits_visit_default"}, "没有名为"),
        ({"month": "2019-3"}, "月份应写作 年-月"),
        ({"month": "2019-13"}, "月份应写作 年-月"),
        ({"month": "2019-03'; --"}, "月份应写作 年-月"),
    ],
)
def test_a_table_or_month_it_does_not_know_is_refused_before_anything_moves(old_visits, options, message):
    with pytest.raises(CommandError, match=message):
        _split(**options)
    assert _where("visits_visit") == {"visits_visit_default": 6}


@pytest.mark.django_db(transaction=True)
def test_each_month_moves_in_a_transaction_of_its_own(old_visits):
    """A month that fails (its name taken by a stray table) leaves its rows where they were; the
    months moved before it stay moved."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE visits_visit_p201907 (id bigint)")
    try:
        with pytest.raises(CommandError, match=r"visits_visit 2019-07 未能移出默认分区.*visits_visit_p201907 exists"):
            _split(table="visits_visit")
        assert _where("visits_visit") == {"visits_visit_p201903": 3, "visits_visit_default": 3}
        assert _value("SELECT count(*) FROM visits_visit_p201907") == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE visits_visit_p201907")


@pytest.mark.django_db(transaction=True)
def test_a_month_that_left_the_default_after_the_listing_is_passed_over_not_refused(old_visits, monkeypatch):
    """The months are listed without locks; each is looked at again under its locks, so a month a
    split moved meanwhile (here before, with the listing taken earlier) is neither refused nor made twice."""
    from core.db.partitions import split

    listing = default_rows_by_month("visits_visit")
    assert split_default("visits_visit", MARCH_2019.date().replace(day=20)) == {datetime.date(2019, 3, 1): 3}
    monkeypatch.setattr(split, "_rows_by_month", lambda cursor, layout, month: listing)
    assert split_default("visits_visit") == {datetime.date(2019, 7, 1): 2, datetime.date(2035, 5, 1): 1}
    assert _where("visits_visit") == {"visits_visit_p201903": 3, "visits_visit_p201907": 2, "visits_visit_p203505": 1}
    assert split_default("visits_visit", datetime.date(2019, 3, 1)) == {}


APP_ROLE = "vg_test_split_app"


@pytest.mark.django_db(transaction=True)
def test_only_the_tables_owner_may_split(old_visits, postgres):
    with application_role(postgres, APP_ROLE):
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {APP_ROLE}")
        try:
            with pytest.raises(CommandError, match="请以数据表所有者"):
                _split(table="visits_visit")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")
    assert _where("visits_visit") == {"visits_visit_default": 6}


@pytest.mark.django_db(transaction=True)
def test_audit_rows_move_past_the_append_only_guard_which_then_holds_on_their_new_month(postgres, months_dropped_after):
    import psycopg2

    with connection.cursor() as cursor:
        for at, count in ((MARCH_2019, 4), (MAY_2035, 2)):  # old enough to be purged, and young
            cursor.execute(
                "INSERT INTO audit_auditevent (occurred_at, actor_username, action, result, object_type,"
                " object_id, object_repr, detail) SELECT %s, 'x', 'export', 'success', '', '', '', '{}'"
                " FROM generate_series(1, %s)",
                [at, count],
            )
    with application_role(postgres, APP_ROLE) as app:  # its default privileges grant DML on new tables
        app.autocommit = True
        assert "共移动 6 行，新建月分区 2 个。" in _split(table="audit_auditevent")
        assert _where("audit_auditevent") == {"audit_auditevent_p201903": 4, "audit_auditevent_p203505": 2}
        app_cursor = app.cursor()
        for month in ("audit_auditevent_p201903", "audit_auditevent_p203505", "audit_auditevent_default"):
            app_cursor.execute(f"SELECT count(*) FROM {month}")
            for statement in (f"DELETE FROM {month}", f"UPDATE {month} SET action = 'login'", f"TRUNCATE {month}"):
                with pytest.raises(psycopg2.Error) as refused:
                    app_cursor.execute(statement)
                assert refused.value.pgcode == "42501", statement
    for month in ("audit_auditevent_p201903", "audit_auditevent_p203505", "audit_auditevent_default"):
        assert (
            _value(
                "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'audit_event_append_only'",
                [month],
            )
            == "O"
        ), month
    # Even the owner meets the trigger: no change to any row, no young row deleted.
    from django.db import DatabaseError, transaction

    for statement in (
        "UPDATE audit_auditevent_p201903 SET action = 'login'",
        "DELETE FROM audit_auditevent_p203505",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert _value("SELECT count(*) FROM audit_auditevent") == 6


@pytest.mark.django_db
def test_on_sqlite_there_is_nothing_to_split(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")  # a no-op where the tests run on SQLite
    assert _split() == "SQLite 没有分区，无需拆分。\n"
    assert split_default("visits_visit") == {}
