"""ID and phone numbers encrypted at rest (step 3 of 3): lookup and uniqueness by keyed hash."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("veterans", "0009_encrypted_numbers_seal")]

    operations = [
        migrations.AddIndex(
            model_name="veteran",
            index=models.Index(fields=["id_number_hash"], name="veteran_id_hash_idx"),
        ),
        migrations.AddIndex(
            model_name="veteran",
            index=models.Index(fields=["phone_hash"], name="veteran_phone_hash_idx"),
        ),
        migrations.AddConstraint(
            model_name="veteran",
            constraint=models.UniqueConstraint(
                condition=models.Q(("removed_at__isnull", True)),
                fields=("id_number_hash",),
                name="veteran_id_hash_unique_active",
            ),
        ),
    ]
