import getpass
from pathlib import Path

from django.core.management.base import BaseCommand

from audit.models import AuditAction
from audit.services import audit_record
from backups.archive import restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `manage.py backup` (optionally into another PostgreSQL database)."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--database", help="PostgreSQL database name (or SQLite file) to restore into")

    def handle(self, *args, **options):
        restore(Path(options["folder"]), database=options.get("database"))
        # Into the configured database, the row lands in the restored data itself; restored elsewhere,
        # the live database records where its copy went.
        audit_record(
            action=AuditAction.RESTORE,
            username=f"manage.py restore ({getpass.getuser()})",
            detail={"folder": str(options["folder"]), "into": options.get("database") or "default"},
        )
        self.stdout.write(self.style.SUCCESS("restored"))
