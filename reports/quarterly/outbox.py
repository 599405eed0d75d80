"""After-commit callbacks of the report outbox, and the background thread a web request hands its dispatch to.

A report request writes its row (the outbox) and answers; the message to the broker is sent after commit,
from a daemon thread when a web request asked, so a slow or frozen broker never holds a web worker. A
thread that dies with its process (a gunicorn worker restarted mid-send) leaves the row claimed and
still queued: `dispatch_pending_reports` sends it again once the claim is stale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)


def on_commit_robust(func: Callable[..., object], *args: Any) -> None:
    """Run `func(*args)` after commit; a failure is logged and the next callbacks still run.

    A named wrapper, not `functools.partial`: Django logs a failed robust callback with its
    `__qualname__`, which a partial lacks (the logging itself raised AttributeError)."""

    def callback() -> None:
        func(*args)

    callback.__qualname__ = f"{func.__qualname__}{args!r}"
    transaction.on_commit(callback, robust=True)


def in_background(func: Callable[..., object], *args: Any) -> threading.Thread:
    """Run `func(*args)` in a daemon thread with its own database connection (closed at the end);
    an error is logged, never raised into the request that started it."""

    def run() -> None:
        close_old_connections()
        try:
            func(*args)
        except Exception:  # the outbox row stays queued: beat's dispatcher sends it later
            logger.exception("Background dispatch %s failed", func.__qualname__)
        finally:
            connections.close_all()  # this thread's connections only (they are per thread)

    thread = threading.Thread(target=run, name=f"outbox-{func.__qualname__}", daemon=True)
    thread.start()
    return thread


def sees_committed_rows() -> bool:
    """Whether another connection (a background thread's) would see what this one committed: not while
    an outer transaction is still open (a test's, or a caller's atomic block around the request)."""
    return not transaction.get_connection().in_atomic_block
