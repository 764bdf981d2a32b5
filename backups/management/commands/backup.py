import getpass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from audit.models import AuditAction
from audit.services import audit_record
from backups.archive import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a timestamped folder (default var/backups)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        folder = backup(Path(options["dir"]))
        # Recorded after the dump, in the live database: who copied the whole of it, where to.
        audit_record(
            action=AuditAction.BACKUP,
            username=f"manage.py backup ({getpass.getuser()})",
            detail={"folder": str(folder)},
        )
        self.stdout.write(str(folder))
