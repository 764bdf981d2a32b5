from pathlib import Path

from django.core.management.base import BaseCommand

from core.backups import restore


class Command(BaseCommand):
    help = "Restore a backup folder made by `manage.py backup` (optionally into another PostgreSQL database)."

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--database", help="PostgreSQL database name (or SQLite file) to restore into")

    def handle(self, *args, **options):
        restore(Path(options["folder"]), database=options.get("database"))
        self.stdout.write(self.style.SUCCESS("restored"))
