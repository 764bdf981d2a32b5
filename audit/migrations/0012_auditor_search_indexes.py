from django.conf import settings
from django.db import migrations, models


def trigram_index(apps, schema_editor):
    """PostgreSQL only: `object_repr LIKE '%王德顺%'` served by a trigram index, not a scan of every
    event (pg_trgm is a trusted extension: the table owner may create it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS audit_repr_trgm_idx ON audit_auditevent USING gin (object_repr gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS audit_repr_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0011_view_action"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["object_id"], name="audit_object_id_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["ip_address"], name="audit_ip_idx"),
        ),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
