"""Fixtures of the loopback fault tests: real Celery worker processes on Redis, against the test database.

`workers.start(slow=False)` starts `celery worker --pool=solo` on this test's queue and pinned clock
(tests/pinned_clock.py; `slow=True`: tests/ops/slow_report_worker.py, each snapshot sleeping);
`pool="prefork"` runs the tasks in one pool child instead (`workers.pool_children(process)`), `env=` adds
environment variables (a DATABASE_URL through a proxy, shorter retries). Every worker is stopped at the
end (SIGKILL) and the queue deleted. Skipped when Redis is unreachable.
"""

import contextlib
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


def _database_url(host=None, port=None):
    """The test database's URL for a worker (on PostgreSQL, at `host`:`port` if given: a proxy)."""
    connection = connections["default"]
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = quote(params["USER"] or "", safe="")
        if params.get("PASSWORD"):
            auth += ":" + quote(params["PASSWORD"], safe="")
        host, port = host or params["HOST"] or "127.0.0.1", port or params["PORT"] or 5432
        return f"postgres://{auth}@{host}:{port}/{params['NAME']}"
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("the loopback tests share a PostgreSQL or file SQLite database with the worker")
    return f"sqlite:///{params['NAME']}"


class Workers:
    def __init__(self, broker, database_url, tmp_path):
        self.broker, self.database_url, self.tmp_path = broker, database_url, tmp_path
        self.queue = f"ips-loopback-{uuid.uuid4().hex[:10]}"
        self.processes = []
        self.log = None

    def start(self, *, slow=False, pool="solo", env=None):
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
            **(env or {}),
        }
        launcher = "tests.ops.slow_report_worker" if slow else "tests.pinned_clock"
        command = [sys.executable, "-m", launcher, "celery", "-A", "ips_site", "worker", f"--pool={pool}"]
        if pool == "prefork":
            command.append("--concurrency=1")
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-Q", self.queue, "-n", f"{self.queue}-{len(self.processes)}@%h"]
        with open(self.log, "wb") as output:
            # Its own process group: stop() ends the pool children with it.
            process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append(process)
        return process

    @staticmethod
    def pool_children(process):
        """The pids of a worker's pool processes (its children, from /proc)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[1]) == process.pid:  # the field after the state: the parent's pid
                children.append(int(stat.parent.name))
        return children

    def wait_for(self, predicate, what, seconds=WAIT_SECONDS):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if result := predicate():
                return result
            time.sleep(0.2)
        pytest.fail(f"{what} did not happen within {seconds} s.\n{self.log_text()[-4000:]}")

    def log_text(self):
        """The latest worker's output so far."""
        return self.log.read_text(errors="replace") if self.log else ""

    def forget_unacked(self):
        """Drop this queue's messages from kombu's "unacked" hash: a killed worker's message, lost as
        when Redis restarts without persistence (it would otherwise come back after the visibility timeout)."""
        connection = self.redis()
        for tag, raw in connection.hgetall("unacked").items():
            if self.queue in json.loads(raw)[2:]:
                connection.hdel("unacked", tag)
                connection.zrem("unacked_index", tag)

    def redis(self):
        import redis

        return redis.Redis.from_url(self.broker, socket_connect_timeout=1, socket_timeout=1)

    def stop(self):
        # The test is over and nothing of the workers' is needed: SIGKILL to each one's process group (its
        # pool children too) rather than a warm shutdown, which takes seconds a worker.
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        connection = self.redis()
        bindings = connection.keys(f"_kombu.binding.{self.queue}*") + connection.keys(f"_kombu.binding_*.{self.queue}*")
        connection.delete(self.queue, *bindings)
        # A killed worker's unacknowledged message stays in kombu's "unacked" hash: drop this queue's.
        self.forget_unacked()


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
