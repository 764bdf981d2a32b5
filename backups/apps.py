from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Whole-database operations run from the command line: backup, restore and the re-encryption
    of personal numbers under new keys. Above every app, since they touch every app's tables."""

    name = "backups"
