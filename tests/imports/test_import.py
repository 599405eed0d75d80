"""The import itself (imports.services.run_import): dry run, errors with row and column, all or
nothing, a repeated file creates nothing, headers matched by name or mapped, CSV and XLSX."""

import datetime

import pytest

from audit.models import AuditEvent
from clients.models import Client, Contact, Enrollment
from imports.services import run_import
from jobs.models import Employer, EmployerContact, JobStart

pytestmark = pytest.mark.django_db

CLIENT_HEADERS = [
    "Record Number",
    "first_name",
    "LAST NAME",
    "DOB",
    "diagnosis",
    "referral_date",
    "enrollment date",
    "Specialist",
]


def client_rows(specialist):
    return [
        CLIENT_HEADERS,
        ["R-1", "Ada", "Quill", "1990-04-12", "depression", "2026-09-01", "2026-09-08", specialist.username],
        ["R-2", "Bo", "Reed", "1985-01-30", "Bipolar disorder", "2026-09-03", "", ""],
    ]


def run(supervisor, program, kind, name, content, dry_run=False, **kw):
    return run_import(kind, name, content, user=supervisor, program=program, dry_run=dry_run, **kw)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_valid_file_creates_clients_with_their_enrollment(supervisor_a, program_a, specialist_a, fmt, request):
    content = request.getfixturevalue(f"{fmt}_file")(client_rows(specialist_a))
    outcome = run(supervisor_a, program_a, "clients", f"caseload.{fmt}", content)
    assert outcome.saved and not outcome.has_errors
    assert outcome.counts == {"create": 2}
    ada = Client.objects.get(program=program_a, record_number="R-1")
    episode = ada.enrollments.get()
    assert (episode.referral_date, episode.enrollment_date, episode.specialist) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 8),
        specialist_a,
    )
    assert Client.objects.get(record_number="R-2").diagnosis_group == "bipolar"  # matched by its label
    assert Enrollment.objects.get(client__record_number="R-2").enrollment_date is None
    # Audited like the pages (the services' events) plus one event for the import.
    assert AuditEvent.objects.filter(object_type="clients.client", user=supervisor_a).count() == 2
    assert AuditEvent.objects.filter(detail__import="clients", user=supervisor_a).exists()


def test_a_dry_run_lists_every_row_and_saves_nothing(supervisor_a, program_a, specialist_a, csv_file):
    outcome = run(supervisor_a, program_a, "clients", "c.csv", csv_file(client_rows(specialist_a)), dry_run=True)
    assert [(r.row, r.action) for r in outcome.rows] == [(2, "create"), (3, "create")]
    assert not outcome.saved and not Client.objects.exists() and not AuditEvent.objects.filter(detail__import="clients")


def test_errors_name_the_row_and_column_and_nothing_is_saved(supervisor_a, program_a, specialist_a, csv_file, today):
    rows = client_rows(specialist_a)
    rows.append(
        ["R-3", "Cy", "Sand", "12/04/1990", "depression", (today + datetime.timedelta(days=1)).isoformat(), "", ""]
    )
    rows.append(["R-4", "Di", "Moss", "1970-02-02", "grief", "2026-09-01", "2026-08-01", "nobody"])
    outcome = run(supervisor_a, program_a, "clients", "c.csv", csv_file(rows))
    assert not outcome.saved and outcome.has_errors
    errors = {r.row: {column for column, _ in r.errors} for r in outcome.rows if r.errors}
    assert errors == {4: {"date_of_birth"}, 5: {"diagnosis_group"}}
    # Row 4 with a good date of birth: the service's rules (referral in the future) come back by column.
    rows[3][3] = "1990-12-04"
    rows[4][4] = "other"
    outcome = run(supervisor_a, program_a, "clients", "c.csv", csv_file(rows))
    errors = {r.row: {column for column, _ in r.errors} for r in outcome.rows if r.errors}
    assert errors == {4: {"referral_date"}, 5: {"specialist"}}
    assert not Client.objects.exists() and not Enrollment.objects.exists()


def test_importing_the_same_file_twice_creates_nothing_new(supervisor_a, program_a, specialist_a, csv_file):
    content = csv_file(client_rows(specialist_a))
    run(supervisor_a, program_a, "clients", "c.csv", content)
    again = run(supervisor_a, program_a, "clients", "c.csv", content)
    assert again.saved and again.counts == {"unchanged": 2}
    assert Client.objects.count() == 2 and Enrollment.objects.count() == 2


def test_a_later_file_adds_the_enrollment_date(supervisor_a, program_a, specialist_a, csv_file):
    rows = client_rows(specialist_a)
    run(supervisor_a, program_a, "clients", "c.csv", csv_file(rows))
    rows[2][6] = "2026-09-10"
    outcome = run(supervisor_a, program_a, "clients", "c.csv", csv_file(rows))
    assert outcome.counts == {"unchanged": 1, "update": 1}
    assert Enrollment.objects.get(client__record_number="R-2").enrollment_date == datetime.date(2026, 9, 10)


def test_unknown_headers_need_a_mapping(supervisor_a, program_a, known_client, csv_file):
    rows = [["record number", "Visit day", "Scribbles"], ["K-1", "2026-10-05", "x"]]
    outcome = run(supervisor_a, program_a, "contacts", "c.csv", csv_file(rows))
    assert outcome.file_errors and "Visit day" in outcome.file_errors[0]
    mapped = run(
        supervisor_a,
        program_a,
        "contacts",
        "c.csv",
        csv_file(rows),
        mapping={"visit  DAY": "contact_date", "Scribbles": ""},
    )
    assert mapped.saved and Contact.objects.get().contact_date == datetime.date(2026, 10, 5)


def test_contacts_job_starts_and_employer_contacts(supervisor_a, program_a, known_client, csv_file):
    contacts = [["record_number", "contact_date", "mode", "minutes"], ["K-1", "2026-10-05", "phone", "15"]]
    jobs = [
        ["record_number", "employer", "job_title", "start_date", "hours"],
        ["K-1", "Mill Café", "Barista", "2026-10-12", "20"],
    ]
    employer = [
        ["employer_name", "contact_date", "contact_person", "record_numbers"],
        ["mill cafe", "2026-10-02", "M. Osei", "K-1"],
        ["Depot", "2026-10-03", "", ""],
    ]
    for kind, rows in [("contacts", contacts), ("job_starts", jobs), ("employer_contacts", employer)]:
        outcome = run(supervisor_a, program_a, kind, f"{kind}.csv", csv_file(rows))
        assert outcome.saved, (kind, outcome.as_dict())
        again = run(supervisor_a, program_a, kind, f"{kind}.csv", csv_file(rows))
        assert set(again.counts) == {"unchanged"}, kind
    assert Contact.objects.get().minutes == 15
    job = JobStart.objects.get()
    assert (job.job_title, job.hours_per_week, job.employer.name) == ("Barista", 20, "Mill Café")
    # "mill cafe" is the job's employer (matched by normalised name); "Depot" is new.
    assert Employer.objects.filter(program=program_a).count() == 2
    assert list(EmployerContact.objects.get(contact_person="M. Osei").clients.all()) == [known_client]


def test_another_programs_client_is_not_found(supervisor_a, program_a, client_b_record, csv_file):
    rows = [["record_number", "contact_date"], [client_b_record.record_number, "2026-10-05"]]
    outcome = run(supervisor_a, program_a, "contacts", "c.csv", csv_file(rows))
    assert [r.errors[0][0] for r in outcome.rows] == ["record_number"] and not Contact.objects.exists()


def test_a_10000_row_file(supervisor_a, program_a, known_client, csv_file):
    rows = [["record_number", "contact_date", "minutes"]]
    start = datetime.date(2026, 1, 10)  # the client's enrollment (contacts before the referral are refused)
    rows += [["K-1", (start + datetime.timedelta(days=i % 300)).isoformat(), str(i % 300)] for i in range(10_000)]
    # Rows 300 apart repeat date and minutes: the repeat rule leaves them as they are.
    outcome = run(supervisor_a, program_a, "contacts", "big.csv", csv_file(rows))
    assert outcome.saved and len(outcome.rows) == 10_000
    assert outcome.counts == {"create": 300, "unchanged": 9_700}
    assert Contact.objects.filter(client=known_client).count() == 300


def test_bad_files(supervisor_a, program_a):
    assert run(supervisor_a, program_a, "clients", "c.pdf", b"%PDF").file_errors
    assert run(supervisor_a, program_a, "clients", "c.xlsx", b"not a zip").file_errors
    assert run(supervisor_a, program_a, "clients", "c.csv", b"").file_errors


def test_a_decimal_with_more_digits_than_its_field_is_refused_not_rounded(
    supervisor_a, program_a, known_client, csv_file
):
    rows = [["record_number", "employer_name", "job_title", "start_date", "hours_per_week"]]
    rows.append(["K-1", "Mill Café", "Barista", "2026-10-12", "20.25"])
    outcome = run(supervisor_a, program_a, "job_starts", "jobs.csv", csv_file(rows))
    assert not outcome.saved and not JobStart.objects.exists()
    assert outcome.rows[0].errors == [("hours_per_week", "“20.25”: at most 1 digit(s) after the point.")]
