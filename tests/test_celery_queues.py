"""Celery queues by kind of work (settings.CELERY_TASK_ROUTES): a reminder never waits behind an
export. Routing is read from the app's own router; then two real workers on different queues show
that an export with no worker of its queue leaves the reminders' worker free."""

import pytest
from django.conf import settings

from config.celery import app
from conftest import start_celery_worker, stop_celery_worker

EXPECTED = {
    "visits.tasks.send_daily_reminders": "reminders",
    "appeals.tasks.remind_appeals": "reminders",
    "confirmations.tasks.confirm_daily": "reminders",
    "veterans.tasks.validate_veteran_import": "imports",
    "veterans.tasks.commit_veteran_import": "imports",
    "dashboard.tasks.build_statistics_export": "exports",
    "printing.tasks.build_print_batch": "exports",
    "printing.tasks.expire_print_batches": "exports",
    "dashboard.tasks.warm_dashboard": "snapshots",
    "dashboard.tasks.take_daily_snapshot": "snapshots",
    "merging.tasks.find_duplicates": "snapshots",
    "visits.tasks.deliver_webhook": "webhooks",
    "audit.tasks.purge_expired_audit": "default",
    "replays.tasks.prune_receipts": "default",
}


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_each_kind_of_work_is_routed_to_its_queue():
    app.loader.import_default_modules()
    assert {name: _queue_of(name) for name in EXPECTED} == EXPECTED
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert set(EXPECTED) <= set(ours)  # the names above are real tasks
    assert {_queue_of(name) for name in ours} <= set(settings.CELERY_QUEUE_NAMES)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_a_reminder_runs_while_exports_wait_for_their_own_worker(transactional_db, redis_url, tmp_path):
    reminders = start_celery_worker(redis_url, tmp_path / "reminders.log", queues=("reminders",))
    exports = None
    try:
        waiting_export = app.send_task("printing.tasks.expire_print_batches")
        reminder = app.send_task("appeals.tasks.remind_appeals")
        assert reminder.get(timeout=30) == 0  # served at once by the reminders' worker
        assert waiting_export.state == "PENDING"  # nobody serves the exports queue yet
        exports = start_celery_worker(redis_url, tmp_path / "exports.log", queues=("exports",))
        assert waiting_export.get(timeout=30) == 0
    finally:
        stop_celery_worker(reminders)
        if exports is not None:
            stop_celery_worker(exports)
    # Each worker's log lists every task it knows at start, then "Task <name>[<id>] received" per run.
    reminders_log, exports_log = (tmp_path / "reminders.log").read_text(), (tmp_path / "exports.log").read_text()
    ran_reminder, ran_export = f"remind_appeals[{reminder.id}]", f"expire_print_batches[{waiting_export.id}]"
    assert ran_reminder in reminders_log and ran_export not in reminders_log
    assert ran_export in exports_log and ran_reminder not in exports_log
