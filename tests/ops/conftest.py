"""Fixtures of the loopback fault tests: real Celery worker processes on Redis, against the test database.

`workers.start(slow=False)` starts `celery worker --pool=solo` on this test's queue and pinned clock
(tests/pinned_clock.py; `slow=True`: tests/ops/slow_report_worker.py, each snapshot sleeping); every worker
is stopped at the end (SIGTERM, then SIGKILL) and the queue deleted. Skipped when Redis is unreachable.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from tests import pinned_clock
from tests.quarterly_celery import TEST_BROKER_URL, celery_conf, redis_error

BASE_DIR = Path(settings.BASE_DIR)
WAIT_SECONDS = 60


def _database_url():
    connection = connections["default"]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(params["USER"] or "", safe="")
        if params.get("PASSWORD"):
            auth += ":" + quote(params["PASSWORD"], safe="")
        return f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("the loopback tests share a PostgreSQL or file SQLite database with the worker")
    return f"sqlite:///{params['NAME']}"


class Workers:
    def __init__(self, broker, database_url, tmp_path):
        self.broker, self.database_url, self.tmp_path = broker, database_url, tmp_path
        self.queue = f"ips-loopback-{uuid.uuid4().hex[:10]}"
        self.processes = []
        self.log = None

    def start(self, *, slow=False):
        self.log = self.tmp_path / f"worker-{len(self.processes)}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ips_site.settings",
            "DATABASE_URL": self.database_url,
            "DB_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": self.broker,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "PYTHONPATH": str(BASE_DIR),
            **pinned_clock.environ(timezone.now()),
        }
        launcher = "tests.ops.slow_report_worker" if slow else "tests.pinned_clock"
        command = [sys.executable, "-m", launcher, "celery", "-A", "ips_site", "worker", "--pool=solo"]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-Q", self.queue, "-n", f"{self.queue}-{len(self.processes)}@%h"]
        with open(self.log, "wb") as output:
            process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if result := predicate():
                return result
            time.sleep(0.2)
        log = self.log.read_text(errors="replace")[-4000:] if self.log else ""
        pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s.\n{log}")

    def redis(self):
        import redis

        return redis.Redis.from_url(self.broker, socket_connect_timeout=1, socket_timeout=1)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        connection = self.redis()
        bindings = connection.keys(f"_kombu.binding.{self.queue}*") + connection.keys(f"_kombu.binding_*.{self.queue}*")
        connection.delete(self.queue, *bindings)
        # A killed worker's unacknowledged message stays in kombu's "unacked" hash: drop this queue's.
        for tag, raw in connection.hgetall("unacked").items():
            if self.queue in json.loads(raw)[2:]:
                connection.hdel("unacked", tag)
                connection.zrem("unacked_index", tag)


@pytest.fixture
def workers(transactional_db, tmp_path):
    if reason := redis_error():
        pytest.skip(f"Redis {TEST_BROKER_URL} is unreachable ({reason})")
    pool = Workers(TEST_BROKER_URL, _database_url(), tmp_path)
    overrides = {"task_always_eager": False, "broker_url": TEST_BROKER_URL, "task_default_queue": pool.queue}
    try:
        with celery_conf(**overrides):
            yield pool
    finally:
        pool.stop()
