"""Settings come from the environment and fail closed."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_settings(env_overrides, expression):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "ips_site.settings"
    code = f"import django; from django.conf import settings; django.setup(); print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_missing_secret_key_without_debug_is_an_error():
    result = run_settings({}, "settings.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_gives_an_embedded_setup_with_sqlite_and_eager_tasks():
    result = run_settings({"DEBUG": "1"}, "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3 True"


def test_production_variables_switch_to_postgresql_and_a_real_broker():
    result = run_settings(
        {
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://ips@db.internal:5432/ips",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
        },
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG, "
        "settings.SESSION_COOKIE_SECURE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql False False True"
