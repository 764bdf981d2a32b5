"""Settings come from the environment: check both modes in a fresh interpreter each."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': str(settings.DATABASES['default']['NAME']), 'host': settings.DATABASES['default'].get('HOST'), "
    "'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'lang': settings.LANGUAGE_CODE, "
    "'tz': settings.TIME_ZONE, 'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'secret': settings.SECRET_KEY}))"
)


def read_settings(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def test_without_urls_sqlite_file_and_eager_celery():
    settings = read_settings()
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["name"].endswith("db.sqlite3")
    assert settings["eager"] is True
    assert settings["broker"] == "memory://"
    assert settings["lang"] == "zh-hans" and settings["tz"] == "Asia/Shanghai"
    assert settings["debug"] is False


def test_with_urls_postgres_redis_and_real_celery():
    settings = read_settings(
        DATABASE_URL="postgres://vg:pw@db.internal:5433/veterans",
        REDIS_URL="redis://cache.internal:6380/2",
        SECRET_KEY="s" * 60,
        DEBUG="1",
        ALLOWED_HOSTS="vg.example.gov.cn,127.0.0.1",
    )
    assert settings["engine"] == "django.db.backends.postgresql"
    assert (settings["name"], settings["host"]) == ("veterans", "db.internal")
    assert settings["eager"] is False
    assert settings["broker"] == "redis://cache.internal:6380/2"
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["debug"] is True
    assert settings["hosts"] == ["vg.example.gov.cn", "127.0.0.1"]
    assert settings["secret"] == "s" * 60


def test_production_settings_pass_check_deploy():
    unwanted = {"DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        SECRET_KEY="k3y-" + "Zx9!q" * 12,
        ALLOWED_HOSTS="vg.example.gov.cn",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        FIELD_ENCRYPTION_KEYS="bmV3LWtleS1mb3ItdGhlLWNoZWNrLW9ubHktMzJieXQ=",
        FIELD_HASH_KEY="h4sh-" + "Qw8#z" * 10,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_suite_runs_on_postgresql_when_configured(postgres):
    with postgres.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 130000
    assert postgres.settings_dict["NAME"].startswith("test_")


def test_a_misspelt_yes_no_value_stops_the_start():
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", SECURE_COOKIES="ture")
    result = subprocess.run([sys.executable, "-c", PROBE], env=clean, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SECURE_COOKIES='ture' is not a yes/no value" in result.stderr


def test_yes_no_values_take_every_documented_spelling():
    assert read_settings(DEBUG="Yes")["debug"] is True
    assert read_settings(DEBUG=" on ")["debug"] is True
    assert read_settings(DEBUG="0")["debug"] is False
    assert read_settings(DEBUG="off")["debug"] is False
    assert read_settings(DEBUG="")["debug"] is False  # empty: the default


def test_a_number_setting_that_is_not_a_number_stops_the_start():
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", AXES_FAILURE_LIMIT="five")
    result = subprocess.run([sys.executable, "-c", PROBE], env=clean, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT='five' is not a whole number" in result.stderr
