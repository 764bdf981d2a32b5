"""PostgreSQL: visits become a table partitioned by month of `visited_at` (core.db.partitions),
with every row copied over in batches; the due list, the card and the ledger keep their indexes,
now on every month. Reversible: back to a plain table with its rows. SQLite keeps a plain table."""

from django.db import migrations

from core.db.partitions import rebuild


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        rebuild(schema_editor, "visits_visit", "visited_at", partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        rebuild(schema_editor, "visits_visit", "visited_at", partitioned=False)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_month_partition_functions"),
        ("visits", "0009_visit_claims_no_constraints_in"),
    ]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
