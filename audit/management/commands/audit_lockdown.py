"""PostgreSQL, production: give the application a role of its own that cannot rewrite history.

The trigger of migration 0003 refuses UPDATE and DELETE of young audit rows, but whoever owns the
table (or is a superuser) may TRUNCATE it, or disable or drop the trigger. So the application must
not connect as the owner: run this as the owner (the role that runs `migrate`), then connect the
web server and Celery as `--app-role`. That role may read and write every application table, but
on the audit table (and each of its monthly partitions) only SELECT and INSERT; old rows leave through the owner's
`audit_purge_expired` function (migration 0007). Run it again after every `migrate`: it is
idempotent, and tables created later by the owner are granted by default privileges anyway.
"""

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit.models import AuditEvent
from core.db.partitions import partitioned_tables

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
TABLE_DML = "SELECT, INSERT, UPDATE, DELETE"


class Command(BaseCommand):
    help = "PostgreSQL: create or update the application's database role (audit rows: SELECT and INSERT only)."

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="the role the application connects as")
        parser.add_argument(
            "--password-env",
            default="",
            help="name of an environment variable that holds the role's password (not given on the command line)",
        )

    def handle(self, *args, app_role: str, password_env: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("audit_lockdown is for PostgreSQL; SQLite has no roles.")
        if not ROLE_NAME.match(app_role):
            raise CommandError("The role name must be lower-case letters, digits and underscores.")
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty or unset.")
        quote = connection.ops.quote_name
        role, audit_table = quote(app_role), quote(AuditEvent._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database(), current_schema()")
            owner, database, schema = cursor.fetchone()
            cursor.execute(
                "SELECT tableowner FROM pg_tables WHERE schemaname = %s AND tablename = %s",
                [schema, AuditEvent._meta.db_table],
            )
            row = cursor.fetchone()
            if row is None:
                raise CommandError("The audit table does not exist: run migrate first.")
            if row[0] != owner:
                raise CommandError(f"Run this as the tables' owner ({row[0]}), not as {owner}.")
            if app_role == owner:
                raise CommandError("The application's role must not be the tables' owner.")
            cursor.execute(
                "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles"
                " WHERE rolname = %s",
                [app_role],
            )
            existing = cursor.fetchone()
            if existing is None:
                cursor.execute(f"CREATE ROLE {role} LOGIN")  # no superuser, no CREATEROLE/CREATEDB, no bypass
            elif existing[0]:
                raise CommandError(
                    f"{app_role} is a superuser or may create roles or databases, replicate or bypass row "
                    "security: use a plain role."
                )
            if password is not None:
                cursor.execute(f"ALTER ROLE {role} PASSWORD %s", [password])
            cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app_role, owner])
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{app_role} is a member of {owner} and so would act as the owner; revoke that first."
                )
            schema_name = quote(schema)
            for statement in (
                f"GRANT CONNECT ON DATABASE {quote(database)} TO {role}",
                f"GRANT USAGE ON SCHEMA {schema_name} TO {role}",
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {role}",
                f"GRANT {TABLE_DML} ON ALL TABLES IN SCHEMA {schema_name} TO {role}",
                # The audit: read and append, nothing else (no UPDATE, DELETE, TRUNCATE, TRIGGER).
                f"REVOKE ALL ON {audit_table} FROM {role}",
                f"GRANT SELECT, INSERT ON {audit_table} TO {role}",
                # Which migrations ran is the owner's business.
                f"REVOKE INSERT, UPDATE, DELETE ON {quote('django_migrations')} FROM {role}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_name} TO {role}",
                f"GRANT EXECUTE ON FUNCTION audit_purge_expired(timestamptz) TO {role}",
                # The daily job adds months to the partitioned tables through the owner's function.
                f"GRANT EXECUTE ON FUNCTION vg_add_month_partitions(regclass, date, date) TO {role}",
                # Tables and sequences that later migrations create (as the owner) are granted too.
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT {TABLE_DML} ON TABLES TO {role}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema_name} GRANT USAGE, SELECT ON SEQUENCES TO {role}",
            ):
                cursor.execute(statement)
            # Each month of a partitioned table (visits, audit) carries exactly its parent's grants:
            # the audit's months too are SELECT and INSERT only, not the DML granted on all tables.
            for table in partitioned_tables(connection):
                cursor.execute("SELECT vg_mirror_partition_acl(%s::regclass)", [table])
        self.stdout.write(
            f"{app_role}: {TABLE_DML} on the tables of {database}.{schema}, SELECT and INSERT only on "
            f"{AuditEvent._meta.db_table}. Connect the web server and Celery as {app_role}; run migrate "
            f"(and then this command again) as {owner}."
        )
