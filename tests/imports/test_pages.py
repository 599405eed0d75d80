"""The import pages: upload, mapping, dry run, import, templates, a large file through the Celery task
(eager here) with its progress endpoint, and access (supervisors of the program only)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from clients.models import Client, Contact
from imports import services
from imports.kinds import KINDS
from imports.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def upload(web, program, kind, name, content):
    return web.post(
        "/imports/", {"program": program.pk, "kind": kind, "file": SimpleUploadedFile(name, content)}, follow=False
    )


def contact_rows(n, record="K-1"):
    return [["Record Number", "Contact Date", "Minutes"]] + [[record, "2026-10-05", str(i)] for i in range(n)]


def test_upload_dry_run_then_import(client, supervisor_a, program_a, known_client, csv_file):
    client.force_login(supervisor_a)
    response = upload(client, program_a, "contacts", "log.csv", csv_file(contact_rows(3)))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{job.pk}/"
    assert client.post(f"/imports/{job.pk}/", {"action": "dry"}).status_code == 302
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Dry run" in page and "3 to create" in page and not Contact.objects.exists()
    client.post(f"/imports/{job.pk}/", {"action": "commit"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Contact.objects.count() == 3
    assert AuditEvent.objects.filter(detail__import="contacts", user=supervisor_a).exists()


def test_errors_are_shown_by_row_and_column(client, supervisor_a, program_a, known_client, csv_file):
    client.force_login(supervisor_a)
    rows = contact_rows(2) + [["K-1", "yesterday", "5"]]
    upload(client, program_a, "contacts", "log.csv", csv_file(rows))
    job = ImportJob.objects.get()
    client.post(f"/imports/{job.pk}/", {"action": "commit"})
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Nothing saved" in page and "<td>4</td><td><code>contact_date</code></td>" in page
    assert not Contact.objects.exists()


def test_unknown_headers_are_mapped_on_the_page(client, supervisor_a, program_a, known_client, csv_file):
    client.force_login(supervisor_a)
    upload(client, program_a, "contacts", "log.csv", csv_file([["record number", "Visit day"], ["K-1", "2026-10-05"]]))
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'name="map-1"' in page and "contact_date" in page
    client.post(f"/imports/{job.pk}/", {"action": "commit", "map-1": "contact_date"})
    assert Contact.objects.get().contact_date.isoformat() == "2026-10-05"


def test_a_large_file_runs_as_a_task_with_progress(
    client, supervisor_a, program_a, known_client, csv_file, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "ASYNC_ROWS", 5)
    client.force_login(supervisor_a)
    upload(client, program_a, "contacts", "big.csv", csv_file(contact_rows(8)))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(f"/imports/{job.pk}/", {"action": "commit"})
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and not Contact.objects.exists()
    progress = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in progress.content.decode() and "HX-Refresh" not in progress
    for callback in callbacks:
        callback()  # the broker-less settings run the task eagerly
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Contact.objects.count() == 8
    done = client.get(f"/imports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_templates_download(client, supervisor_a, csv_file):
    client.force_login(supervisor_a)
    response = client.get("/imports/templates/job_starts.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == ",".join(c.name for c in KINDS["job_starts"].columns)
    assert client.get("/imports/templates/nothing.csv").status_code == 404


def test_access(client, specialist_a, supervisor_a, program_a, program_b, known_client, csv_file, django_user_model):
    from programs.models import Role

    from .. import factories as f

    client.force_login(specialist_a)
    assert client.get("/imports/").status_code == 404  # specialists do not import
    client.force_login(supervisor_a)
    # Another program is not among the choices: the form refuses it.
    assert upload(client, program_b, "contacts", "log.csv", csv_file(contact_rows(1))).status_code == 400
    upload(client, program_a, "contacts", "log.csv", csv_file(contact_rows(1)))
    job = ImportJob.objects.get()
    client.force_login(f.make_user(Role.SUPERVISOR, program=program_b, username="super_b"))
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.post(f"/imports/{job.pk}/", {"action": "commit"}).status_code == 404
    assert client.get(f"/imports/{job.pk}/progress/").status_code == 404
    assert not Contact.objects.exists() and Client.objects.count() == 1


def test_a_bad_file_is_refused_on_the_form(client, supervisor_a, program_a):
    client.force_login(supervisor_a)
    response = upload(client, program_a, "contacts", "log.txt", b"hello")
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()
    assert upload(client, program_a, "contacts", "log.xlsx", b"junk").status_code == 400
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_outside_the_imports_transaction(supervisor_a, program_a, csv_file):
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer: progress is shown on PostgreSQL only")
    job = services.create_job(
        user=supervisor_a, program=program_a, kind="contacts", name="a.csv", content=csv_file(contact_rows(3))
    )
    with transaction.atomic():  # the import's transaction, still open
        services._progress(job.pk, 2)
        with connection.cursor() as cursor:  # not this connection's write, and already committed
            cursor.execute("SELECT processed FROM imports_importjob WHERE id = %s", [job.pk])
            assert cursor.fetchone() == (2,)


def test_the_navigation_offers_the_import_to_supervisors_only(client, supervisor_a, specialist_a):
    link = '<a class="nav-link" href="/imports/">Import</a>'
    client.force_login(supervisor_a)
    assert link in client.get("/").content.decode()
    client.force_login(specialist_a)
    assert link not in client.get("/").content.decode()
