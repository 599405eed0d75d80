"""Settings come from the environment and fail closed."""

import ast
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import OperationalError, connections, transaction
from django.db.utils import load_backend

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


def sqlite_options(path):
    """The OPTIONS settings.py gives a SQLite database at `path`."""
    result = run_settings(
        {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}, "settings.DATABASES['default']['OPTIONS']"
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def second_writer(path, options):
    """Two connections to one SQLite file, as the test process and a real worker are: A holds the write lock
    while B, in a transaction, reads and then writes. Returns B's error (None when B waited for A) and the
    rows written."""
    backend = load_backend("django.db.backends.sqlite3")
    params = {**connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    params.update(OPTIONS=options, CONN_MAX_AGE=0, TEST={})
    errors = []

    def write_after_reading():
        connections["default"] = b = backend.DatabaseWrapper(params)  # this thread's own connection
        try:
            with transaction.atomic(), b.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM t")
                cursor.execute("INSERT INTO t VALUES (2)")
        except OperationalError as exc:
            errors.append(exc)
        finally:
            b.close()

    own = connections["default"]
    connections["default"] = a = backend.DatabaseWrapper(params)
    try:
        with a.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
        with transaction.atomic():
            with a.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (1)")
            thread = threading.Thread(target=write_after_reading)
            thread.start()
            time.sleep(0.5)  # B is waiting to begin, or has read and waits to write
        thread.join(timeout=30)
        with a.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            rows = cursor.fetchone()[0]
    finally:
        a.close()
        connections["default"] = own
    return (errors[0] if errors else None), rows


def test_sqlite_writers_wait_for_each_other_instead_of_failing(tmp_path, django_db_blocker):
    # What removed "database is locked" from the real-worker test: WAL, IMMEDIATE transactions, a busy timeout.
    options = sqlite_options(tmp_path / "db.sqlite3")
    assert options == {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    with django_db_blocker.unblock():
        error, rows = second_writer(tmp_path / "db.sqlite3", options)
    assert error is None and rows == 2


def test_without_immediate_transactions_the_second_writer_fails_at_once(tmp_path, django_db_blocker):
    # Control: SQLite's default (DEFERRED) transaction fails when its read turns into a write.
    options = {**sqlite_options(tmp_path / "db.sqlite3"), "transaction_mode": "DEFERRED"}
    with django_db_blocker.unblock():
        error, rows = second_writer(tmp_path / "db.sqlite3", options)
    assert "database is locked" in str(error) and rows == 1
