"""The common visit submit on PostgreSQL as one statement.

Every phone submits through `visit_record`, and nearly every submit is the plain case: a
veteran of the caller's grid, alive, with no open must-visit event, no photos and no campaign.
For that case one statement reads the veteran inside the caller's scope, inserts the visit and
its visitors, moves the due date and appends the audit event: one round trip instead of seven,
and atomic without BEGIN/COMMIT. When it writes nothing (another grid's veteran, a record that
is closed or dead, an open event, a replayed client_id...), the caller takes the careful path,
which gives the exact answer or error. The rows written are the careful path's, field for field
(tests compare them).
"""

from django.db import connection
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_event
from grids.models import Grid
from grids.scoping import scope_queryset
from veterans.models import LifeStatus, Veteran
from visits.models import Visit

# Visit columns the statement fills from the veteran's row rather than from the form.
_FROM_VETERAN = {"district_id": "district", "street_id": "street", "community_id": "community", "grid_id": "grid",
                 "veteran_id": "veteran"}  # fmt: skip
# What the statement reads of the veteran, named in its `vet` CTE in this order.
_VETERAN_COLUMNS = ("id", "name", "grid_id", "grid__name", "grid__district_id", "grid__street_id", "grid__community_id")
_VISIT_FIELDS = [f for f in Visit._meta.concrete_fields if f.attname != "id"]
_AUDIT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if f.attname not in ("id", "object_id", "object_repr")]


def applies(*, photos, campaign) -> bool:
    return connection.vendor == "postgresql" and not photos and campaign is None


def quick_visit_write(*, visit: Visit, veteran_pk: int, acting_user, people: list[int]) -> bool:
    """Write `visit` (validated, not yet placed in a grid) in one statement; False if nothing was
    written. On success the visit has its id, veteran and grid (with their names) set."""
    local_day = timezone.localtime(visit.visited_at).date()
    visit.created_at = timezone.now()  # what save() would set (auto_now_add)
    veteran = scope_queryset(
        acting_user,
        Veteran.objects.filter(
            pk=veteran_pk,
            removed_at__isnull=True,
            life_status=LifeStatus.ALIVE,
            birth_date__lte=local_day,
            event_due_on__isnull=True,
            visit_interval_days__isnull=False,
        ),
    ).values_list(*_VETERAN_COLUMNS)
    veteran_sql, veteran_params = veteran.query.sql_with_params()
    event = audit_event(action=AuditAction.CREATE, actor=acting_user)
    event.object_type = Visit._meta.label_lower
    visit_columns, visit_values, visit_params = [], [], []
    for field in _VISIT_FIELDS:
        visit_columns.append(connection.ops.quote_name(field.column))
        if field.attname in _FROM_VETERAN:
            visit_values.append(f"vet.{_FROM_VETERAN[field.attname]}")
        else:
            visit_values.append(_typed_param(field))
            visit_params.append(field.get_db_prep_save(getattr(visit, field.attname), connection))
    audit_columns = [connection.ops.quote_name(f.column) for f in _AUDIT_FIELDS]
    audit_params = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in _AUDIT_FIELDS]
    # Only identifiers (from the models) and SQL compiled by the ORM are formatted in; values are params.
    sql = f"""
        WITH vet (veteran, name, grid, grid_name, district, street, community) AS ({veteran_sql}),
        visit AS (
            INSERT INTO {Visit._meta.db_table} ({", ".join(visit_columns)})
            SELECT {", ".join(visit_values)} FROM vet
            ON CONFLICT (client_id) DO NOTHING
            RETURNING id, veteran_id
        ),
        visitors AS (
            INSERT INTO {Visit.visitors.through._meta.db_table} (visit_id, user_id)
            SELECT visit.id, person FROM visit, unnest(%s::integer[]) AS person
        ),
        due AS (
            UPDATE {Veteran._meta.db_table} AS v
            SET last_visit_on = GREATEST(v.last_visit_on, %s::date),
                visit_due_on = GREATEST(v.last_visit_on, %s::date) + v.visit_interval_days
            FROM visit WHERE v.id = visit.veteran_id
        ),
        audit AS (
            INSERT INTO {AuditEvent._meta.db_table} ({", ".join(audit_columns)}, object_id, object_repr)
            SELECT {", ".join(_typed_param(f) for f in _AUDIT_FIELDS)}, visit.id::text, left(vet.name || %s, 200)
            FROM visit, vet
        )
        SELECT visit.id, vet.name, vet.grid, vet.grid_name, vet.district, vet.street, vet.community FROM visit, vet
    """  # noqa: S608
    params = [*veteran_params, *visit_params, people, local_day, local_day, *audit_params,
              f" {visit.visited_at:%Y-%m-%d}"]  # fmt: skip  # the rest of str(visit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    visit.pk, name, grid_id, grid_name, district_id, street_id, community_id = row
    visit.veteran = Veteran(pk=veteran_pk, name=name, grid_id=grid_id)
    visit.grid = Grid(pk=grid_id, name=grid_name, district_id=district_id, street_id=street_id,
                      community_id=community_id)  # fmt: skip
    visit.district_id, visit.street_id, visit.community_id = district_id, street_id, community_id
    visit._state.adding, visit._state.db = False, connection.alias
    return True


def _typed_param(field) -> str:
    # Literals in an INSERT ... SELECT are typed before they meet their columns: say the type.
    return f"CAST(%s AS {field.cast_db_type(connection)})"
