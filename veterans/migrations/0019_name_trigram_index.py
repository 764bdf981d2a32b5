from django.db import migrations


def trigram_index(apps, schema_editor):
    """PostgreSQL only: a name typed in part (`name LIKE '%晨杰%'`) found through a trigram index
    instead of a scan of every file of the city (pg_trgm is a trusted extension)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS veteran_name_trgm_idx ON veterans_veteran USING gin (name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS veteran_name_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("veterans", "0018_person_photo")]

    operations = [migrations.RunPython(trigram_index, drop_trigram_index)]
