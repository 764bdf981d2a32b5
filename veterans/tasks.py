from celery import shared_task

from veterans.import_services import veteran_import_commit, veteran_import_validate, veteran_imports_expire


@shared_task
def validate_veteran_import(import_id: int) -> str:
    return veteran_import_validate(import_id=import_id).status


@shared_task
def commit_veteran_import(import_id: int) -> str:
    return veteran_import_commit(import_id=import_id).status


@shared_task
def expire_veteran_imports() -> int:
    """Daily: clear checked files left unconfirmed past the confirmation period."""
    return veteran_imports_expire()
