"""The date-sensitive behaviour on every day of a week and across quarter and year boundaries.

Each test runs once per day below, with time-machine moving the clock to that day (09:00, and 23:30 on New
Year's Eve, when it is already 1 January in UTC). The expected dates are worked out here by hand, not with
the application's period helpers.
"""

import datetime
import os
import subprocess
import sys
import threading
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from ips_site.celery import app
from jobs.models import EmployerContact
from reports.models import QuarterClose, QuarterlyReport

from . import factories as f
from . import pinned_clock

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
NINE = datetime.time(9, 0)
DAYS = [
    # Monday to Sunday of one week
    *((datetime.date(2026, 11, 30) + datetime.timedelta(days=n), NINE) for n in range(7)),
    # Quarter and year boundaries; the quarter close day (5th of the month after) and the day before it
    (datetime.date(2026, 12, 31), NINE),
    (datetime.date(2026, 12, 31), datetime.time(23, 30)),
    (datetime.date(2027, 1, 1), NINE),
    (datetime.date(2027, 1, 4), NINE),
    (datetime.date(2027, 1, 5), NINE),
    (datetime.date(2027, 3, 31), NINE),
    (datetime.date(2027, 4, 1), NINE),
    (datetime.date(2028, 2, 29), NINE),
]


@pytest.fixture(params=DAYS, ids=[f"{d:%a-%Y-%m-%d}-{t:%H%M}" for d, t in DAYS])
def day(request, time_machine):
    """Moves the clock to the day (local time) and returns the date."""
    date, time = request.param
    time_machine.move_to(datetime.datetime.combine(date, time, TZ), tick=True)
    assert timezone.localdate() == date
    return date


def quarter_of(date):
    """(year, quarter) of a date, calendar quarters (BenchmarkSettings' default start month, January)."""
    return date.year, (date.month - 1) // 3 + 1


def quarter_before(year, q):
    return (year, q - 1) if q > 1 else (year - 1, 4)


def form_data(form, **changes):
    """What a browser posts back for an unbound form as rendered."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = field.widget.format_value(value) if isinstance(value, datetime.date) else value
    return {**data, **changes}


def test_a_contact_logged_today_is_the_caseload_last_contact(day, client, program_a, specialist_a):
    person = f.EnrollmentFactory(client__program=program_a, specialist=specialist_a).client
    f.ContactFactory(client=person, staff=specialist_a, contact_date=day - datetime.timedelta(days=10))
    client.force_login(specialist_a)

    # The quick log on the caseload: nothing but the client, so the date is the default, today.
    response = client.post(reverse("clients:quick_contact", args=[person.pk]), {"from": "caseload"})
    assert response.status_code == 302
    assert person.contacts.order_by("-pk").first().contact_date == day

    [row] = client.get(reverse("clients:caseload")).context["data"].rows
    assert (row.pk, row.last_contact, row.days_since_contact) == (person.pk, day, 0)


def test_employer_contacts_of_today_and_the_six_days_before_are_listed_and_editable(
    day, client, program_a, specialist_a
):
    employer = f.EmployerFactory(program=program_a, name="Calendar Bakery")
    contacts = [
        f.EmployerContactFactory(employer=employer, specialist=specialist_a, contact_date=day - datetime.timedelta(n))
        for n in range(7)
    ]
    client.force_login(specialist_a)

    page = client.get(reverse("jobs:job_development")).content.decode()
    for contact in contacts:
        assert reverse("jobs:employer_contact_edit", args=[contact.pk]) in page, f"{contact.contact_date} not listed"

    # The oldest of them (a week ago, e.g. last Tuesday on a Monday) can be corrected.
    oldest = contacts[-1]
    edit = reverse("jobs:employer_contact_edit", args=[oldest.pk])
    form = client.get(edit).context["form"]
    response = client.post(edit, form_data(form, outcome="Corrected a week later"))
    assert response.status_code == 302, response.context["form"].errors
    oldest = EmployerContact.objects.get(pk=oldest.pk)
    assert (oldest.outcome, oldest.contact_date) == ("Corrected a week later", day - datetime.timedelta(6))


def test_the_dashboard_shows_the_last_complete_quarter_against_the_one_before(day, client, program_a, supervisor_a):
    f.EnrollmentFactory(client__program=program_a)  # something to show
    client.force_login(supervisor_a)
    response = client.get(reverse("reports:dashboard"))

    last = quarter_before(*quarter_of(day))
    before = quarter_before(*last)
    period, previous = response.context["filters"].period, response.context["previous_period"]
    assert period.code == "{}Q{}".format(*last)
    assert period.start == datetime.date(last[0], 3 * last[1] - 2, 1)
    assert period.end.month == 3 * last[1] and (period.end + datetime.timedelta(1)).day == 1
    assert previous.code == "{}Q{}".format(*before)
    assert f"vs {previous.code}" in response.content.decode()  # the cards compare with the quarter before


def test_the_daily_check_closes_the_previous_quarter_from_the_configured_day_on(day, program_a):
    close_day = BenchmarkSettings.current().report_day_after_quarter
    quarter_start = datetime.date(day.year, 3 * quarter_of(day)[1] - 2, 1)
    # The task beat runs every day, as beat sends it (no arguments: it reads today itself).
    task = app.tasks[settings.CELERY_BEAT_SCHEDULE["quarterly-reports-check-quarter-close"]["task"]]

    result = task.apply().get()

    if day < quarter_start.replace(day=close_day):
        assert result is None
        assert not QuarterClose.objects.exists()
        return
    year, q = quarter_before(*quarter_of(day))
    close = QuarterClose.objects.get()
    assert (close.region_id, close.year, close.quarter) == (program_a.agency.region_id, year, q)
    assert result == [close.rollup_id]
    assert QuarterlyReport.objects.filter(program=program_a, year=year, quarter=q, rollup=close.rollup).exists()
    assert task.apply().get() == []  # the next daily run closes nothing again


def test_threads_and_subprocesses_see_the_pinned_day(time_machine):
    """The live server runs in a thread of this process; the real Celery worker in a subprocess that
    starts through tests/pinned_clock.py. (A day that is neither the run's nor the real one.)"""
    today = datetime.date(2031, 7, 4)
    time_machine.move_to(datetime.datetime.combine(today, NINE, TZ), tick=True)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(timezone.localdate()))
    thread.start()
    thread.join()
    code = "from django.utils import timezone; print(timezone.localdate().isoformat())"
    result = subprocess.run(
        [sys.executable, "-m", "tests.pinned_clock", "django", "shell", "--no-imports", "-c", code],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, **pinned_clock.environ(timezone.now())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert seen == [today] and result.stdout.strip() == today.isoformat()
