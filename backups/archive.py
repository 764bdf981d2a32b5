"""Backups: the database (pg_dump custom format on PostgreSQL, SQLite's online backup API
otherwise) and the uploaded files, side by side in one timestamped folder. Restore puts both
back; on PostgreSQL into any database you name (a fresh one to check a backup)."""

import glob
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

DUMP, SQLITE, MEDIA = "database.dump", "database.sqlite3", "media.tar.gz"


def postgres_binary(name: str) -> str:
    """pg_dump / pg_restore of the installed server (Debian keeps them off PATH)."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise FileNotFoundError(f"{name} not found: apt-get install postgresql-client")
    return found


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def backup(target_dir: Path, *, alias: str = "default") -> Path:
    """Write a backup folder under `target_dir`; returns its path."""
    folder = Path(target_dir) / f"veteran-grid-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    connection = connections[alias]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_args(db)
        command = [postgres_binary("pg_dump"), *args, "-Fc", "-f", str(folder / DUMP), db["NAME"]]
        subprocess.run(command, check=True, env={**_base_env(), **env})  # noqa: S603 (binary and arguments from settings)
    else:
        connection.ensure_connection()
        with sqlite3.connect(folder / SQLITE) as copy:
            connection.connection.backup(copy)  # consistent even while the app writes
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    return folder


def restore(folder: Path, *, database: str | None = None, alias: str = "default") -> None:
    """Put a backup back: into the configured database, or (PostgreSQL) the one named."""
    folder = Path(folder)
    connection = connections[alias]
    db = connection.settings_dict
    if (folder / DUMP).exists():
        args, env = _pg_args(db)
        command = [
            postgres_binary("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "-d",
            database or db["NAME"],
            str(folder / DUMP),
        ]
        subprocess.run(command, check=True, env={**_base_env(), **env})  # noqa: S603 (binary and arguments from settings)
    else:
        target = Path(database or db["NAME"])
        connection.close()
        with sqlite3.connect(folder / SQLITE) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    with tempfile.TemporaryDirectory() as unpacked, tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(unpacked, filter="data")  # refuses absolute paths and ".." members
        if (Path(unpacked) / "media").exists():
            shutil.copytree(Path(unpacked) / "media", settings.MEDIA_ROOT, dirs_exist_ok=True)


def _base_env() -> dict:
    import os

    return {key: value for key, value in os.environ.items() if key in ("PATH", "HOME", "LANG", "LC_ALL")}
