"""Run one import (check + write) in this process and print rows/s and peak memory as JSON.

Run as a separate process so the peak memory (VmHWM) is the import's own.
"""

import json
import os
import sys
import time


def memory_mb(field: str) -> float:
    """VmHWM (peak) or VmRSS of this process; unlike ru_maxrss it is not inherited over exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main(path: str, username: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from config.celery import app
    from veterans.import_services import veteran_import_commit, veteran_import_start, veteran_import_validate
    from veterans.models import ImportStatus, VeteranImport

    app.conf.task_always_eager = False  # run the two phases here, timed separately
    user = get_user_model().objects.get(username=username)
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile("bench.xlsx", handle.read())
    baseline_mb = memory_mb("VmHWM")
    record = veteran_import_start(uploaded_file=upload, acting_user=user)
    started = time.perf_counter()
    record = veteran_import_validate(import_id=record.pk)
    validated = time.perf_counter()
    if record.status != ImportStatus.VALID:
        print(json.dumps({"error": record.message or record.errors[:3]}))
        return
    VeteranImport.objects.filter(pk=record.pk).update(status=ImportStatus.IMPORTING)
    record = veteran_import_commit(import_id=record.pk)
    finished = time.perf_counter()
    peak_mb = memory_mb("VmHWM")
    print(
        json.dumps(
            {
                "rows": record.created_count,
                "status": record.status,
                "validate_s": round(validated - started, 2),
                "commit_s": round(finished - validated, 2),
                "rows_per_s_validate": round(record.total_rows / (validated - started)),
                "rows_per_s_commit": round(record.created_count / (finished - validated)),
                "rows_per_s_overall": round(record.created_count / (finished - started)),
                "peak_rss_mb": peak_mb,
                "rss_before_import_mb": baseline_mb,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
