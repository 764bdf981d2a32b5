from celery import shared_task

from veterans.import_services import veteran_import_commit, veteran_import_validate


@shared_task
def validate_veteran_import(import_id: int) -> str:
    return veteran_import_validate(import_id=import_id).status


@shared_task
def commit_veteran_import(import_id: int) -> str:
    return veteran_import_commit(import_id=import_id).status
