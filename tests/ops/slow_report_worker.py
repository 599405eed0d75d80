"""A Celery worker whose report snapshots take SLOW_REPORT_SECONDS (default 120) each: a report stays
"running" long enough for a fault test to kill the worker mid-report. With SLOW_REPORT_ATTEMPTS=N only a
report's first N attempts are slow (the redelivered or retried attempt then finishes at once).

    IPS_TEST_NOW=... python -m tests.ops.slow_report_worker celery -A ips_site worker ...

(the worker of tests.pinned_clock, with the snapshot builder wrapped once the worker has started; a
prefork pool's children are forked after it and inherit the wrapper).
"""

import os
import time

from celery.signals import worker_init

from tests import pinned_clock


@worker_init.connect
def _slow_snapshots(**kwargs):
    from reports.quarterly import snapshots

    build = snapshots.build_snapshot
    seconds = float(os.environ.get("SLOW_REPORT_SECONDS", "120"))
    slow_attempts = int(os.environ.get("SLOW_REPORT_ATTEMPTS", "0")) or None

    def slow_build(report, *args, **kw):
        if slow_attempts is None or report.attempts <= slow_attempts:
            time.sleep(seconds)
        return build(report, *args, **kw)

    snapshots.build_snapshot = slow_build


if __name__ == "__main__":
    pinned_clock.main()
