"""ID and phone numbers encrypted at rest (step 2 of 3): seal the clear values already stored
and fill their keyed hashes."""

from django.db import migrations

from core.crypto.cipher import id_number_hash, phone_hash
from core.crypto.sealing import reseal_table


def seal(apps, schema_editor):
    connection = schema_editor.connection
    hashes = {"id_number_hash": ("id_number", id_number_hash), "phone_hash": ("phone", phone_hash)}
    reseal_table(connection, "veterans_veteran", ["id_number", "phone"], hashes, clear=True)
    reseal_table(connection, "veterans_familymember", ["phone"], clear=True)


class Migration(migrations.Migration):
    dependencies = [("veterans", "0008_encrypted_numbers_columns")]

    operations = [migrations.RunPython(seal, migrations.RunPython.noop, elidable=False)]
