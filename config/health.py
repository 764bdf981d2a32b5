"""Liveness of what the app depends on: database, Redis and Celery workers, served at `/healthz`.

In config because it asks the project's own Celery app (config.celery) for its workers."""

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.db.replicas import replica_states

OK = "ok"
DOWN = "down"
DEGRADED = "degraded"
NOT_CONFIGURED = "not_configured"
EAGER = "eager"


@dataclass(frozen=True)
class HealthReport:
    database: str
    redis: str
    celery: str
    celery_workers: int
    replicas: tuple = ()  # core.db.replicas.ReplicaState of each configured replica

    @property
    def status(self) -> str:
        if self.database != OK:
            return DOWN
        if DOWN in (self.redis, self.celery) or any(not replica.usable for replica in self.replicas):
            return DEGRADED
        return OK

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "database": self.database,
            "redis": self.redis,
            "celery": self.celery,
            "celery_workers": self.celery_workers,
            "replicas": [replica.as_dict() for replica in self.replicas],
        }


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means the database cannot serve us
        return DOWN
    return OK


def check_redis() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError:
        return DOWN
    return OK


def check_celery(redis_state: str) -> tuple[str, int]:
    """Eager mode needs no worker; otherwise at least one worker must answer a ping."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return EAGER, 0
    if redis_state != OK:
        return DOWN, 0
    from config.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception:  # broker errors surface as assorted kombu/redis exceptions
        return DOWN, 0
    return (OK if replies else DOWN), len(replies)


def health_report() -> HealthReport:
    redis_state = check_redis()
    celery_state, workers = check_celery(redis_state)
    database = check_database()
    in_use = database == OK and settings.READ_REPLICAS
    replicas = tuple(replica_states(fresh=True)) if in_use else ()
    return HealthReport(
        database=database, redis=redis_state, celery=celery_state, celery_workers=workers, replicas=replicas
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 503 only when the database is unreachable."""
    report = health_report()
    return JsonResponse(report.as_dict(), status=503 if report.status == DOWN else 200)
