"""Run a Python module in a subprocess on the test run's pinned clock.

    IPS_TEST_NOW=2026-11-30T14:00:00+00:00 python -m tests.pinned_clock celery -A ips_site worker ...

is `python -m celery -A ips_site worker ...` with time-machine travelling to IPS_TEST_NOW (ticking) first, so
a real Celery worker sees the same "today" as the test that started it. The test passes its own `now`
(tests/conftest.py pins it for the whole run).
"""

import datetime
import os
import runpy
import sys

import time_machine

ENV = "IPS_TEST_NOW"


def environ(now):
    """The environment variable that hands `now` (an aware datetime) to a subprocess."""
    return {ENV: now.isoformat()}


def main():
    if len(sys.argv) < 2:
        sys.exit(f"usage: {ENV}=<ISO datetime> python -m tests.pinned_clock <module> [args...]")
    now = datetime.datetime.fromisoformat(os.environ[ENV])
    module, sys.argv = sys.argv[1], sys.argv[1:]
    with time_machine.travel(now, tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
