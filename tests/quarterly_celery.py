"""Celery helpers for the quarterly report tests: patch the app's configuration for one test,
check that a Redis broker answers, find closed / silent ports."""

import contextlib
import os
import socket

from ips_site.celery import app

TEST_BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL") or "redis://127.0.0.1:6379/15"


@contextlib.contextmanager
def celery_conf(**overrides):
    """Set `app.conf` keys for the duration of a block and restore them afterwards.
    (The dispatch code opens a fresh broker connection from `app.conf` each time, so a new
    `broker_url` takes effect at once.)"""
    missing = object()
    saved = {key: app.conf.get(key, missing) for key in overrides}
    app.conf.update(overrides)
    try:
        yield app
    finally:
        for key, value in saved.items():
            if value is missing:
                app.conf.pop(key, None)
            else:
                app.conf[key] = value


def redis_error(url=TEST_BROKER_URL):
    """None when the Redis at `url` answers a PING within a second, else why not."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}"
    return None


def closed_port():
    """A local TCP port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def silent_broker():
    """A port that accepts TCP connections and never answers: a hung broker."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def unreachable_conf(port, timeout=None):
    """app.conf overrides for a non-eager app whose Redis broker is at `port`; with `timeout`,
    shorter broker timeouts, else the ones from settings (CELERY_BROKER_*)."""
    conf = {"task_always_eager": False, "broker_url": f"redis://127.0.0.1:{port}/0"}
    if timeout is not None:
        conf["broker_connection_timeout"] = timeout
        conf["broker_transport_options"] = {
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
            "max_retries": 1,
        }
    return conf
