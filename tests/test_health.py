import json

import pytest
from django.db import OperationalError

from config.health import health_report


def test_healthz_in_embedded_mode_is_ok_with_eager_celery(client, db, settings):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not_configured",
        "celery": "eager",
        "celery_workers": 0,
        "replicas": [],  # none in use (core.db.replicas; tests/test_replicas.py has them)
    }


def test_healthz_with_redis_down_is_degraded(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["redis"] == "down"
    assert body["celery"] == "down"
    assert body["database"] == "ok"


def test_healthz_when_the_database_is_down_is_503(client, db, monkeypatch, settings):
    settings.REDIS_URL = ""

    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "down"


@pytest.mark.redis
def test_health_with_real_redis_reports_ok(redis_url, db, settings):
    settings.REDIS_URL = redis_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert health_report().redis == "ok"
