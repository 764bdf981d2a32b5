from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backups import backup


class Command(BaseCommand):
    help = "Back up the database and uploaded files into a timestamped folder (default var/backups)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"))

    def handle(self, *args, **options):
        folder = backup(Path(options["dir"]))
        self.stdout.write(str(folder))
