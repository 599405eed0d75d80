"""Issue 14 part 6: trainers get counts, not client record numbers, in a quarterly report's
data-quality section (page, CSV, XLSX, PDF); staff of the program get the records, and the
clients those lists show are in the audit trail."""

import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from reports.models import ReportStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

NUMBER = "RN-QUALITY-77"


@pytest.fixture
def report(program_a):
    client = f.ClientFactory(program=program_a, record_number=NUMBER)
    episode = f.EnrollmentFactory(client=client, enrollment_date=None)
    data = {
        "data_quality": {
            "enrollments_missing_dates": {
                "count": 1,
                "ids": [episode.pk],
                "records": [{"id": episode.pk, "client": NUMBER, "date": "2026-02-01", "missing": "enrollment date"}],
            }
        }
    }
    report = f.QuarterlyReportFactory(
        program=program_a, status=ReportStatus.DONE, data=data, finished_at=timezone.now()
    )
    return report, client


def _pdf_text(data, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _everything(client, report, tmp_path):
    """The page, CSV, XLSX and PDF of the report as text."""
    page = client.get(reverse("reports:quarterly_detail", args=[report.pk])).content.decode()
    csv = client.get(reverse("reports:quarterly_export", args=[report.pk, "csv"])).content.decode("utf-8-sig")
    xlsx = client.get(reverse("reports:quarterly_export", args=[report.pk, "xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    cells = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    pdf = _pdf_text(client.get(reverse("reports:quarterly_export", args=[report.pk, "pdf"])).content, tmp_path)
    return {"page": page, "csv": csv, "xlsx": cells, "pdf": pdf}


def test_a_trainer_gets_counts_only(client, report, trainer, tmp_path):
    report, _record = report
    client.force_login(trainer)
    for kind, text in _everything(client, report, tmp_path).items():
        assert NUMBER not in text, kind
    page = client.get(reverse("reports:quarterly_detail", args=[report.pk]))
    assert [s["count"] for s in page.context["quality"]][0] == 1
    assert not AuditEvent.objects.filter(subjects__isnull=False).exists()


def test_the_programs_supervisor_gets_the_records_and_is_audited(client, report, supervisor_a, tmp_path):
    report, record = report
    client.force_login(supervisor_a)
    for kind, text in _everything(client, report, tmp_path).items():
        assert NUMBER in text, kind
    shown = AuditEvent.objects.filter(subjects__client_id=record.pk, object_id=str(report.pk))
    assert sorted(shown.values_list("action", flat=True)) == [Action.EXPORT] * 3 + [Action.VIEW]


@pytest.fixture
def employer(program_a, specialist_a):
    employer = f.EmployerFactory(program=program_a, name="Harbor Foods", notes="Asked about Yolanda's schedule")
    yolanda = f.ClientFactory(program=program_a, first_name="Yolanda", last_name="Reyes")
    f.EmployerContactFactory(
        employer=employer,
        specialist=specialist_a,
        outcome="Discussed Yolanda",
        next_step="Send Yolanda's resume",
        clients=[yolanda],
    )
    f.JobStartFactory(client=yolanda, employer=employer)
    return employer, yolanda


def test_a_trainer_reads_no_specialists_free_text_on_employer_pages(client, employer, trainer):
    employer, _yolanda = employer
    client.force_login(trainer)
    page = client.get(reverse("jobs:employer_detail", args=[employer.pk]))
    assert page.status_code == 200 and "Harbor Foods" in page.text
    assert "Yolanda" not in page.text
    assert not AuditEvent.objects.filter(subjects__isnull=False).exists()


def test_the_programs_specialist_reads_them_and_the_clients_are_audited(client, employer, specialist_a):
    employer, yolanda = employer
    client.force_login(specialist_a)
    page = client.get(reverse("jobs:employer_detail", args=[employer.pk])).text
    for text in ("Asked about Yolanda", "Discussed Yolanda", "Send Yolanda", "Reyes"):
        assert text in page
    event = AuditEvent.objects.get(subjects__client_id=yolanda.pk)
    assert (event.object_type, event.object_id) == ("jobs.employer", str(employer.pk))
