"""The Content-Security-Policy breaks nothing: Chromium reports no violation on the pages that use htmx,
Chart.js and the site's own scripts, and the scripts still do their work."""

import datetime

import pytest

from programs.models import Role

from .. import factories as f
from ..browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violation_on_scripted_pages(live_server, phone_page, program_a):
    supervisor = f.make_user(Role.SUPERVISOR, program=program_a, username="csp_super")
    specialist = f.make_user(Role.SPECIALIST, program=program_a, username="csp_spec")
    person = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(client=person, specialist=specialist)
    employer = f.EmployerFactory(program=program_a)
    f.EmployerContactFactory(employer=employer, specialist=supervisor, clients=[person])
    f.JobStartFactory(client=person, employer=employer, start_date=datetime.date(2026, 2, 2))
    violations = []
    phone_page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    login(phone_page, live_server, "csp_super", f.PASSWORD)
    for path in [
        "/clients/",
        f"/clients/{person.pk}/",
        "/jobs/development/",
        "/jobs/employers/",
        f"/reports/dashboard/?program={program_a.code}",
    ]:
        phone_page.goto(live_server.url + path)
        phone_page.wait_for_load_state("networkidle")
    assert violations == []
    # The dashboard's charts were drawn by Chart.js (a canvas it sized).
    phone_page.goto(f"{live_server.url}/reports/dashboard/?program={program_a.code}")
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.evaluate("document.querySelectorAll('canvas').length") > 0
    assert phone_page.evaluate("[...document.querySelectorAll('canvas')].every(c => c.width > 0)")
    # The weekly bars of My job development still get their widths from the script.
    phone_page.goto(f"{live_server.url}/jobs/development/")
    widths = phone_page.evaluate(
        "[...document.querySelectorAll('[data-bar-width]')].map(e => e.style.width === e.dataset.barWidth + '%')"
    )
    assert widths and all(widths)
    assert violations == []
