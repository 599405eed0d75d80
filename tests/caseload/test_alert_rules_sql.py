"""The caseload alerts are decided once, in SQL (caseload.rules): the client record, the caseload's rows,
filters and counts, and the supervisor dashboard's count per specialist read the same annotations, so
they agree at every threshold (the day before and the day of), and the dashboard's count is one grouped
query whatever the number of clients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.models import BenchmarkSettings
from caseload import selectors
from caseload.selectors import AlertCode, Phase
from clients.models import Client
from programs.models import Program, Role
from reports.dashboard.supervisor import open_alerts_by_specialist

from .. import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def quiet_client(program, specialist, enrolled_ago=10):
    """Enrolled, contacted today, an employer contact in the episode: no alert."""
    client = f.EnrollmentFactory(
        client__program=program, enrollment_date=days_ago(enrolled_ago), specialist=specialist
    ).client
    f.ContactFactory(client=client, contact_date=TODAY)
    f.EmployerContactFactory(employer__program=program, contact_date=days_ago(1), clients=[client])
    f.BenefitsCounselingSessionFactory(client=client, session_date=days_ago(enrolled_ago))
    return client


def boundary_cases(program):
    """{name: (client, its specialist, alert code, whether it is due)}: each rule the day before and the
    day it fires, one client (and one specialist) each."""
    b = BenchmarkSettings.current()
    cases = {}

    def case(name, code, due, build):
        specialist = f.make_user(Role.SPECIALIST, program=program, username=f"s-{name}")
        client = build(specialist)
        cases[name] = (client, specialist, code, due)

    def no_contact(days):
        def build(specialist):
            c = quiet_client(program, specialist, enrolled_ago=days + 5)
            c.contacts.all().delete()
            f.ContactFactory(client=c, contact_date=days_ago(days))
            return c

        return build

    case("contact-before", AlertCode.NO_CONTACT, False, no_contact(b.no_contact_alert_days - 1))
    case("contact-due", AlertCode.NO_CONTACT, True, no_contact(b.no_contact_alert_days))

    def no_employer(days):
        def build(specialist):
            c = f.EnrollmentFactory(
                client__program=program, enrollment_date=days_ago(days), specialist=specialist
            ).client
            f.ContactFactory(client=c, contact_date=TODAY)
            return c

        return build

    case("employer-before", AlertCode.NO_EMPLOYER_CONTACT, False, no_employer(b.first_employer_contact_days))
    case("employer-due", AlertCode.NO_EMPLOYER_CONTACT, True, no_employer(b.first_employer_contact_days + 1))

    def job_start(days):
        def build(specialist):
            c = quiet_client(program, specialist, enrolled_ago=days + 10)
            c.contacts.update(contact_date=days_ago(days + 1))
            f.JobStartFactory(client=c, start_date=days_ago(days))
            return c

        return build

    case("start-due", AlertCode.JOB_START_FOLLOWUP, True, job_start(b.job_start_followup_days))
    case("start-past", AlertCode.JOB_START_FOLLOWUP, False, job_start(b.job_start_followup_days + 1))

    def job_end(days):
        def build(specialist):
            c = quiet_client(program, specialist, enrolled_ago=days + 10)
            c.contacts.update(contact_date=days_ago(days + 1))
            f.JobStartFactory(client=c, start_date=days_ago(days + 5), end_date=days_ago(days), end_type="quit")
            return c

        return build

    case("end-before", AlertCode.JOB_END_CONTACT, False, job_end(b.job_end_contact_days))
    case("end-due", AlertCode.JOB_END_CONTACT, True, job_end(b.job_end_contact_days + 1))
    return cases


@pytest.fixture
def cases(program_a):
    return boundary_cases(program_a)


def test_every_reader_agrees_at_each_threshold(cases, program_a, supervisor_a):
    b = BenchmarkSettings.current()
    page = selectors.caseload(supervisor_a, whole_program=True, as_of=TODAY)
    rows = {r.pk: r for r in page.rows}
    for name, (client, _specialist, code, due) in cases.items():
        record = selectors.client_status(Client.objects.all(), as_of=TODAY, pk=client.pk)
        assert (code in record.alert_codes) is due, name
        assert rows[client.pk].alert_codes == record.alert_codes, name
        filtered = selectors.caseload(supervisor_a, whole_program=True, alert=code, as_of=TODAY)
        assert (client.pk in {r.pk for r in filtered.rows}) is due, name
    for code in AlertCode.LABELS:
        assert page.alert_counts[code] == sum(code in r.alert_codes for r in page.rows), code
    by_specialist = open_alerts_by_specialist(Program.objects.filter(pk=program_a.pk), TODAY, b)
    expected = {r.episode_specialist_id: 1 for r in page.rows if r.alerts}
    assert by_specialist == expected
    assert by_specialist.get(cases["contact-due"][1].pk) == 1 and cases["contact-before"][1].pk not in by_specialist


def test_the_working_window_in_sql(program_a, specialist_a):
    weeks = BenchmarkSettings.current().follow_along_weekly_weeks
    held = quiet_client(program_a, specialist_a)
    job = f.JobStartFactory(client=held, start_date=days_ago(weeks * 7))
    assert selectors.caseload(specialist_a, phase=Phase.WORKING, as_of=TODAY).rows == [held]
    job.start_date = days_ago(weeks * 7 + 1)
    job.save()
    assert selectors.caseload(specialist_a, phase=Phase.WORKING, as_of=TODAY).rows == []
    data = selectors.caseload(specialist_a, phase=Phase.FOLLOW_ALONG, as_of=TODAY)
    assert data.rows == [held] and data.phase_counts[Phase.FOLLOW_ALONG] == 1


def test_alert_counts_per_specialist_take_the_same_queries_for_more_clients(program_a, specialist_a):
    b = BenchmarkSettings.current()
    programs = Program.objects.filter(pk=program_a.pk)
    f.EnrollmentFactory(client__program=program_a, enrollment_date=days_ago(60), specialist=specialist_a)
    with CaptureQueriesContext(connection) as few:
        assert open_alerts_by_specialist(programs, TODAY, b) == {specialist_a.pk: 1}
    colleague = f.make_user(Role.SPECIALIST, program=program_a, username="colleague")
    for n in range(20):
        f.EnrollmentFactory(
            client__program=program_a, enrollment_date=days_ago(60), specialist=colleague if n % 2 else specialist_a
        )
        quiet_client(program_a, colleague)
    with CaptureQueriesContext(connection) as many:
        assert open_alerts_by_specialist(programs, TODAY, b) == {specialist_a.pk: 11, colleague.pk: 10}
    assert len(many.captured_queries) == len(few.captured_queries) == 2  # the program ids, the grouped count
