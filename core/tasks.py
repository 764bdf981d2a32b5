from celery import shared_task


@shared_task
def count_rows(app_label: str, model_name: str) -> int:
    """Round-trip check for workers: proves broker, worker and database all answer."""
    from django.apps import apps

    return apps.get_model(app_label, model_name).objects.count()


@shared_task
def add_month_partitions() -> dict[str, int]:
    """Daily: the coming months' partitions of visits and audit events, made before their first row."""
    from core.db.partitions import add_months_ahead

    return add_months_ahead()
