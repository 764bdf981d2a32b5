"""The common visit submit on PostgreSQL as one statement.

Every phone submits through `visit_record`, and nearly every submit is the plain case: a
veteran of the caller's grid, alive, with no open must-visit event, no photos and no campaign.
For that case one statement reads the veteran inside the caller's scope, inserts the visit and
its visitors, moves the due date and appends the audit event: one round trip instead of seven,
and atomic without BEGIN/COMMIT. When it writes nothing (another grid's veteran, a record that
is closed or dead, an open event, a replayed client_id...), the caller takes the careful path,
which gives the exact answer or error. The rows written are the careful path's, field for field
(tests compare them).

The statement text depends only on the caller's scope: it is built once per scope
(`scope_key`) and kept, since compiling the scoped read costs more than running it.
"""

import weakref

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_event
from core.db.known_rows import known_row
from grids.models import Grid
from grids.scoping import scope_key, scope_queryset
from veterans.models import LifeStatus, Veteran
from visits.models import Visit, VisitClaim

# What the statement reads of the veteran, named in its `vet` CTE in this order.
_VETERAN_COLUMNS = {
    "id": "veteran",
    "name": "name",
    "grid_id": "grid",
    "grid__name": "grid_name",
    "grid__district_id": "district",
    "grid__street_id": "street",
    "grid__community_id": "community",
    "birth_date": "birth_date",
}
# Visit columns the statement fills from the veteran's row rather than from the form.
_FROM_VETERAN = {
    "district_id": "district",
    "street_id": "street",
    "community_id": "community",
    "grid_id": "grid",
    "veteran_id": "veteran",
}
_VISIT_FIELDS = [f for f in Visit._meta.concrete_fields if f.attname != "id"]
_FORM_FIELDS = [f for f in _VISIT_FIELDS if f.attname not in _FROM_VETERAN]  # sent as parameters
_AUDIT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "object_id", "object_repr")]
_CLAIM_NUMBER, _CLAIM_TIME = VisitClaim._meta.get_field("client_id"), VisitClaim._meta.get_field("visited_at")
_STATEMENTS: dict[tuple, tuple[str, list] | None] = {}
# Per database session (the driver's connection object): statement text -> prepared name.
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MAX_KEPT = 2000  # scopes; past that the store starts again (a few KB each)


def applies(*, photos, campaign) -> bool:
    return connection.vendor == "postgresql" and not photos and campaign is None


def quick_visit_write(*, visit: Visit, veteran_pk: int, acting_user, people: list[int]) -> bool:
    """Write `visit` (validated, not yet placed in a grid) in one statement; False if nothing was
    written. On success the visit has its id, veteran and grid (with their names) set."""
    statement = _statement_for(acting_user)
    if statement is None:
        return False
    sql, scope_params = statement
    db = connections[DEFAULT_DB_ALIAS]  # once: each read through the `connection` proxy looks it up again
    local_day = timezone.localtime(visit.visited_at).date()
    visit.created_at = timezone.now()  # what save() would set (auto_now_add)
    event = audit_event(action=AuditAction.CREATE, actor=acting_user)
    event.object_type = Visit._meta.label_lower
    params = [
        *scope_params,
        veteran_pk,
        local_day,
        _CLAIM_NUMBER.get_db_prep_save(visit.client_id, db),
        _CLAIM_TIME.get_db_prep_save(visit.visited_at, db),
        *(f.get_db_prep_save(getattr(visit, f.attname), db) for f in _FORM_FIELDS),
        people,
        local_day,
        local_day,
        *(f.get_db_prep_save(getattr(event, f.attname), db) for f in _AUDIT_FIELDS),
        f" {local_day:%Y-%m-%d}",  # the rest of str(visit), after the veteran's name
    ]
    with db.cursor() as cursor:
        row = _run_prepared(db, cursor, sql, params)
    if row is None:
        return False
    visit.pk, name, grid_id, grid_name, district_id, street_id, community_id = row
    # The columns the statement read, the others deferred (not fifty defaults that look read).
    visit.veteran = known_row(Veteran, db.alias, id=veteran_pk, name=name, grid_id=grid_id)
    grid = known_row(
        Grid,
        db.alias,
        id=grid_id,
        name=grid_name,
        district_id=district_id,
        street_id=street_id,
        community_id=community_id,
    )
    visit.place_in_grid(grid)
    visit._state.adding, visit._state.db = False, db.alias
    return True


def _statement_for(user) -> tuple[str, list] | None:
    key = scope_key(user)
    if key is None:
        return None
    if key not in _STATEMENTS:  # a scope with no veterans keeps None: nothing to build again
        if len(_STATEMENTS) >= _MAX_KEPT:
            _STATEMENTS.clear()
        _STATEMENTS[key] = _build_statement(user)
    return _STATEMENTS[key]


def _build_statement(user) -> tuple[str, list] | None:
    veterans = (
        scope_queryset(
            user,
            Veteran.objects.filter(
                removed_at__isnull=True,
                life_status=LifeStatus.ALIVE,
                event_due_on__isnull=True,
                visit_interval_days__isnull=False,
            ),
        )
        .order_by()
        .values_list(*_VETERAN_COLUMNS)
    )
    try:
        scoped_sql, scoped_params = veterans.query.sql_with_params()
    except EmptyResultSet:
        return None
    vet_columns = ", ".join(_VETERAN_COLUMNS.values())
    quote = connection.ops.quote_name
    visit_columns = ", ".join(quote(f.column) for f in _VISIT_FIELDS)
    visit_values = ", ".join(
        f"vet.{_FROM_VETERAN[f.attname]}" if f.attname in _FROM_VETERAN else _typed_param(f) for f in _VISIT_FIELDS
    )
    audit_columns = ", ".join(quote(f.column) for f in _AUDIT_FIELDS)
    audit_values = ", ".join(_typed_param(f) for f in _AUDIT_FIELDS)
    # Only identifiers (from the models) and SQL compiled by the ORM are formatted in; values are params.
    sql = f"""
        WITH vet AS (
            SELECT * FROM ({scoped_sql}) AS scoped ({vet_columns})
            WHERE veteran = %s AND birth_date <= %s
        ),
        -- The form's number first: sent again (or twice at once, when the second waits for the
        -- first), it is taken, nothing is written, and the careful path answers with the visit.
        claim AS (
            INSERT INTO {quote(VisitClaim._meta.db_table)} (client_id, visit_id, visited_at)
            SELECT {_typed_param(_CLAIM_NUMBER)}, nextval(pg_get_serial_sequence('{Visit._meta.db_table}', 'id')),
                   {_typed_param(_CLAIM_TIME)}
            FROM vet
            ON CONFLICT DO NOTHING
            RETURNING visit_id
        ),
        visit AS (
            INSERT INTO {quote(Visit._meta.db_table)} (id, {visit_columns})
            SELECT claim.visit_id, {visit_values} FROM vet, claim
            RETURNING id, veteran_id
        ),
        visitors AS (
            INSERT INTO {quote(Visit.visitors.through._meta.db_table)} (visit_id, user_id)
            SELECT visit.id, person FROM visit, unnest(%s::integer[]) AS person
        ),
        due AS (
            UPDATE {quote(Veteran._meta.db_table)} AS v
            SET last_visit_on = GREATEST(v.last_visit_on, %s::date),
                visit_due_on = GREATEST(v.last_visit_on, %s::date) + v.visit_interval_days
            FROM visit WHERE v.id = visit.veteran_id
        ),
        audit AS (
            INSERT INTO {quote(AuditEvent._meta.db_table)} ({audit_columns}, object_id, object_repr)
            SELECT {audit_values}, visit.id::text, left(vet.name || %s, 200)
            FROM visit, vet
        )
        SELECT visit.id, vet.name, vet.grid, vet.grid_name, vet.district, vet.street, vet.community
        FROM visit, vet
    """  # noqa: S608
    return sql, list(scoped_params)


def _run_prepared(db, cursor, sql: str, params: list):
    """Run `sql` as a prepared statement of this database session: planning the statement costs
    as much as running it, and a prepared one is planned once per session, not per submit.

    Behind a transaction-pooling PgBouncer (settings.DATABASE_POOLING) there is no session to
    keep it in: the next statement may reach another server session, where the name is unknown or
    names another client's statement. There the statement is sent as it is, planned each time."""
    if settings.DATABASE_POOLING == "transaction":
        cursor.execute(sql, params)
        return cursor.fetchone()
    prepared = _PREPARED.setdefault(db.connection, {})
    name = prepared.get(sql)
    if name is None:
        name = f"vg_quick_visit_{len(prepared) + 1}"
        cursor.execute(f"PREPARE {name} AS {_numbered(sql)}")
        prepared[sql] = name
    try:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
    except DatabaseError as error:
        # The session lost its prepared statements (a pooler's DISCARD ALL): prepare again, once.
        if getattr(error.__cause__, "pgcode", None) != "26000" or not db.get_autocommit():
            raise
        _PREPARED.pop(db.connection, None)
        return _run_prepared(db, cursor, sql, params)
    return cursor.fetchone()


def _numbered(sql: str) -> str:
    """psycopg2's %s placeholders as PostgreSQL's $1, $2, ..."""
    if "%%" in sql:
        raise ValueError("a literal % would reach PREPARE escaped")
    parts = sql.split("%s")
    return "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, start=1))


def _typed_param(field) -> str:
    # Literals in an INSERT ... SELECT are typed before they meet their columns: say the type.
    return f"CAST(%s AS {field.cast_db_type(connection)})"
