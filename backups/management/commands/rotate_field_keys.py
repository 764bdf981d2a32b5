"""Re-encrypt every encrypted column under the newest FIELD_ENCRYPTION_KEYS key and recompute
the keyed hashes under FIELD_HASH_KEY. Run after putting a new key first; drop the old key only
after this has finished."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from audit.models import AuditAction
from audit.services import audit_record
from core.crypto.sealing import reseal_table


def sealed_models():
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
        if columns:
            yield model, columns


class Command(BaseCommand):
    help = "Re-encrypt personal numbers under the newest key and recompute lookup hashes."

    def handle(self, *args, **options):
        for model, columns in sealed_models():
            hashes = {
                model._meta.get_field(name).column: (model._meta.get_field(source).column, function)
                for name, (source, function) in getattr(model, "sealed_hashes", {}).items()
            }
            with transaction.atomic():
                rows = reseal_table(connection, model._meta.db_table, columns, hashes, clear=False)
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=None,
                    detail={"kind": "key_rotation", "table": model._meta.db_table, "rows": rows},
                )
            self.stdout.write(f"{model._meta.label}: {rows} rows re-encrypted ({', '.join(columns)})")
