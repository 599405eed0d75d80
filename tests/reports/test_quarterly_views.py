"""Quarterly report pages: request, progress polling, report, exports, access (404s)."""

import csv
import io
import subprocess

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from core.errors import RuleViolation
from programs.models import Role
from reports.models import QuarterlyReport, ReportStatus
from reports.quarterly import services

from .. import factories as f
from ..quarterly_data import YEAR, Q

pytestmark = pytest.mark.django_db

QUARTER = f"{YEAR}Q{Q}"


@pytest.fixture
def done_report(program_a, made, period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_program_report(program_a, period)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report


def login(client, user):
    client.force_login(user)
    return client


def test_supervisor_requests_a_report_and_it_opens(
    client, supervisor_a, program_a, made, django_capture_on_commit_callbacks
):
    login(client, supervisor_a)
    page = client.get(reverse("reports:quarterly_list"))
    assert page.status_code == 200
    assert f'value="program:{program_a.pk}"' in page.text and QUARTER in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:quarterly_request"), {"target": f"program:{program_a.pk}", "quarter": QUARTER}
        )
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:quarterly_detail", args=[report.pk])
    assert report.requested_by == supervisor_a and report.status == ReportStatus.DONE
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert "Benchmark comparison" in detail.text and "Data quality" in detail.text
    assert "<svg" in detail.text and "every 2s" not in detail.text
    assert reverse("reports:quarterly_export", args=[report.pk, "pdf"]) in detail.text
    assert "Quarterlyname" not in detail.text  # no client names in a report
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(report.pk)).exists()
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(report.pk), program_id=program_a.pk).exists()


def test_a_queued_report_polls_its_status_until_done(client, supervisor_a, program_a, made, period):
    report, _ = services.request_program_report(program_a, period)  # not dispatched (no commit here)
    login(client, supervisor_a)
    detail = client.get(reverse("reports:quarterly_detail", args=[report.pk]))
    status_url = reverse("reports:quarterly_status", args=[report.pk])
    assert detail.status_code == 200
    assert f'hx-get="{status_url}"' in detail.text and 'hx-trigger="every 2s"' in detail.text
    assert "Queued" in detail.text
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'hx-trigger="every 2s"' in fragment.text
    services.run_report(report.pk)
    fragment = client.get(status_url, headers={"HX-Request": "true"})
    assert "every 2s" not in fragment.text  # polling stops
    assert fragment["HX-Redirect"] == reverse("reports:quarterly_detail", args=[report.pk])


def test_a_failed_report_shows_its_error_stops_polling_and_can_be_retried(
    client, supervisor_a, program_a, made, period, django_capture_on_commit_callbacks
):
    report, _ = services.request_program_report(program_a, period)
    services.mark_failed(report.pk, RuntimeError("worker lost"))
    login(client, supervisor_a)
    fragment = client.get(reverse("reports:quarterly_status", args=[report.pk]), headers={"HX-Request": "true"})
    assert "RuntimeError: worker lost" in fragment.text and "every 2s" not in fragment.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:quarterly_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.version == 1
    # A done report is not retried: the rule's message, and the snapshot stays as it is.
    finished = report.finished_at
    response = client.post(reverse("reports:quarterly_retry", args=[report.pk]), follow=True)
    assert "Only a failed or stuck report can be retried." in response.text
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.finished_at == finished


def test_the_services_check_the_acting_users_reach(program_a, program_b, period, supervisor_a, trainer):
    """Another program's (region's) report cannot be requested or retried, whoever calls the service."""
    outsider = f.make_user(Role.SUPERVISOR, program=program_b, username="super_b")
    with pytest.raises(Http404):
        services.request_program_report(program_a, period, user=outsider)
    with pytest.raises(Http404):
        services.request_region_report(program_a.agency.region, period, user=supervisor_a)  # not a trainer
    report, created = services.request_region_report(program_a.agency.region, period, user=trainer)
    assert created and report.requested_by == trainer
    services.mark_failed(report.pk, RuntimeError("lost"))
    with pytest.raises(Http404):
        services.retry_report(report, user=outsider)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    with pytest.raises(RuleViolation):
        services.retry_report(QuarterlyReport.objects.create(program=program_a, year=YEAR, quarter=Q), user=trainer)


def test_invalid_request_rerenders_with_the_error(client, supervisor_a, program_a, program_b):
    login(client, supervisor_a)
    response = client.post(
        reverse("reports:quarterly_request"), {"target": f"program:{program_b.pk}", "quarter": QUARTER}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    response = client.post(
        reverse("reports:quarterly_request"), {"target": f"program:{program_a.pk}", "quarter": "2099Q1"}
    )
    assert response.status_code == 400
    assert not QuarterlyReport.objects.exists()


def test_exports_open_and_contain_the_figures(client, supervisor_a, done_report):
    login(client, supervisor_a)
    totals = done_report.data["totals"]
    rate = totals["employment_rate"]["percent"]
    # This small program's rate is over fewer than small_numbers_min clients: its label says so.
    assert totals["employment_rate"]["denominator"] < done_report.benchmarks["small_numbers_min"]
    rate_label = "Quarterly employment rate (%) (Not reliable: fewer than 10 clients)"

    response = client.get(reverse("reports:quarterly_export", args=[done_report.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Row", "Column", "Value"]
    assert ["Summary", rate_label, "Value", str(rate)] in rows
    assert ["Summary", "Active caseload", "Value", str(totals["active_caseload"])] in rows

    response = client.get(reverse("reports:quarterly_export", args=[done_report.pk, "xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Summary", "Benchmarks", "By specialist", "Trend", "Data quality"} <= set(workbook.sheetnames)
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary[rate_label] == rate
    assert summary["Active caseload"] == totals["active_caseload"]
    quality_ids = [row[1] for row in workbook["Data quality"].iter_rows(min_row=2, values_only=True)]
    assert done_report.data["data_quality"]["jobs_missing_fields"]["ids"][0] in quality_ids
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(done_report.pk)).count() == 2


def test_csv_export_is_safe_from_formula_injection(
    client, supervisor_a, program_a, period, django_capture_on_commit_callbacks
):
    f.make_user(Role.SPECIALIST, program=program_a, first_name="=HYPERLINK(1)", last_name="")
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = services.request_program_report(program_a, period)
    login(client, supervisor_a)
    content = client.get(reverse("reports:quarterly_export", args=[report.pk, "csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content
    assert not any(cell.startswith("=") for row in csv.reader(io.StringIO(content)) for cell in row)


def test_pdf_export(client, supervisor_a, done_report, tmp_path):
    pytest.importorskip("weasyprint")
    login(client, supervisor_a)
    response = client.get(reverse("reports:quarterly_export", args=[done_report.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    info = " ".join(subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout.split())
    assert "Page size: 612 x 792 pts (letter)" in info and "Tagged: yes" in info  # US paper, accessible
    # The rates by quarter keep their heading: the heading's page also holds the whole table.
    pages = int(info.split("Pages: ")[1].split()[0])
    texts = [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True).stdout
        for n in range(1, pages + 1)
    ]
    (trend,) = [text for text in texts if "Employment rate, last" in text]
    index = YEAR * 4 + Q - 1  # the report's quarter and the three before it, oldest first
    labels = [f"{i // 4} Q{i % 4 + 1}" for i in range(index - 3, index + 1)]
    assert "Working / active" in trend and all(label in trend for label in labels)


def test_exports_of_an_unfinished_report_are_404(client, supervisor_a, program_a, period):
    report, _ = services.request_program_report(program_a, period)
    login(client, supervisor_a)
    assert client.get(reverse("reports:quarterly_export", args=[report.pk, "csv"])).status_code == 404


def test_access_other_programs_reports_are_404(client, program_a, program_b, done_report, specialist_a):
    outsider = f.make_user(Role.SUPERVISOR, program=program_b, username="super_b")
    urls = [
        reverse("reports:quarterly_detail", args=[done_report.pk]),
        reverse("reports:quarterly_status", args=[done_report.pk]),
        reverse("reports:quarterly_export", args=[done_report.pk, "csv"]),
        reverse("reports:quarterly_export", args=[done_report.pk, "xlsx"]),
        reverse("reports:quarterly_export", args=[done_report.pk, "pdf"]),
    ]
    login(client, outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("reports:quarterly_retry", args=[done_report.pk])).status_code == 404
    assert str(done_report.pk) not in client.get(reverse("reports:quarterly_list")).text.split("quarterly/")[-1][:3]
    # Specialists do not see the reports (they compare colleagues).
    login(client, specialist_a)
    assert client.get(urls[0]).status_code == 404
    assert client.get(reverse("reports:quarterly_list")).status_code == 404
    client.logout()
    assert client.get(urls[0]).status_code == 302  # to the login page


def test_trainer_sees_the_region_and_its_programs_without_client_names(
    client, trainer, region, program_a, program_b, done_report, django_capture_on_commit_callbacks
):
    login(client, trainer)
    page = client.get(reverse("reports:quarterly_list"))
    assert f'value="region:{region.pk}"' in page.text and f'value="program:{program_a.pk}"' in page.text
    assert f'value="program:{program_b.pk}"' not in page.text
    detail = client.get(reverse("reports:quarterly_detail", args=[done_report.pk]))
    assert detail.status_code == 200
    assert "Quarterlyname" not in detail.text and "Zelda" not in detail.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:quarterly_request"), {"target": f"region:{region.pk}", "quarter": QUARTER}
        )
    rollup = QuarterlyReport.objects.get(region=region)
    assert response.url == reverse("reports:quarterly_detail", args=[rollup.pk])
    assert rollup.status == ReportStatus.DONE and rollup.requested_by == trainer
    assert client.get(response.url).status_code == 200
    # Another region's roll-up is a 404 for this trainer.
    other = QuarterlyReport.objects.create(region=program_b.agency.region, year=YEAR, quarter=Q)
    assert client.get(reverse("reports:quarterly_detail", args=[other.pk])).status_code == 404


def test_report_page_query_count_does_not_grow_with_specialists(
    client,
    supervisor_a,
    program_a,
    period,
    done_report,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    """The page of a report with 2 specialists and one version, and of one with 10 specialists and three
    versions, run the same number of queries."""
    login(client, supervisor_a)
    url = reverse("reports:quarterly_detail", args=[done_report.pk])
    client.get(url)  # warm caches (content types, sessions)
    # 13: with the data-quality lists' audit (who may see them, their clients, the subject rows).
    with django_assert_max_num_queries(13), CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for extra in range(8):
        f.make_user(Role.SPECIALIST, program=program_a, username=f"extra_spec_{extra}")
    for _version in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            bigger, _ = services.request_program_report(program_a, period)
    bigger.refresh_from_db()
    assert bigger.version == 3 and len(bigger.data["by_specialist"]) == 10
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("reports:quarterly_detail", args=[bigger.pk])).status_code == 200
    assert len(large) == len(small)


def test_nav_item_for_supervisors_and_trainers_only(client, supervisor_a, trainer, specialist_a):
    link = reverse("reports:quarterly_list")
    for user, shown in ((supervisor_a, True), (trainer, True), (specialist_a, False)):
        login(client, user)
        home = client.get("/", follow=True)
        assert (f'href="{link}"' in home.text) is shown, user.username
