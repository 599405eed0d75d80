"""Persona x route matrix, exports read as files: the XLSX cells (openpyxl) and the PDF text
(pdftotext) are searched for program A's names, not only the HTML pages."""

import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from .routes import MARKER, PK, PROGRAM_MARKER

pytestmark = pytest.mark.django_db


def xlsx_text(response):
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)


def pdf_text(response, tmp_path):
    assert response.status_code == 200, response.status_code
    path = tmp_path / "export.pdf"
    path.write_bytes(response.content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def drilldown(program, fmt="xlsx"):
    query = f"program={program.code}&measure=active_caseload&quarter=2026Q1&format={fmt}"
    return f"{reverse('reports:drilldown')}?{query}"


def dashboard_xlsx(program):
    return f"{reverse('reports:dashboard_export', args=['all', 'xlsx'])}?program={program.code}&quarter=2026Q1"


def test_insiders_exports_name_program_a_the_control(client, program_a, program_a_records, supervisor_a, trainer):
    client.force_login(supervisor_a)
    assert MARKER in xlsx_text(client.get(drilldown(program_a)))
    assert "Active caseload 1 " in xlsx_text(client.get(dashboard_xlsx(program_a)))  # program A's one client


def test_outsiders_exports_never_name_program_a(
    client, program_a, program_b, program_a_records, program_b_records, outsiders
):
    _specialist, supervisor_b, trainer_b, admin_b = outsiders
    for user in (supervisor_b, admin_b):
        client.force_login(user)
        text = xlsx_text(client.get(drilldown(program_b)))
        assert "Ownclient" in text and MARKER not in text
        assert client.get(drilldown(program_a)).status_code == 404
    for user in (supervisor_b, trainer_b, admin_b):
        client.force_login(user)
        text = xlsx_text(client.get(dashboard_xlsx(program_b)))
        assert MARKER not in text and PROGRAM_MARKER not in text
        assert client.get(dashboard_xlsx(program_a)).status_code == 404


def test_the_fidelity_pdf_of_program_a_opens_only_inside(client, program_a_records, trainer, outsiders, tmp_path):
    url = reverse("fidelity:report_pdf", args=[PK])
    client.force_login(trainer)
    assert PROGRAM_MARKER in pdf_text(client.get(url), tmp_path)
    for user in outsiders:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404, user.username
        assert MARKER.encode() not in response.content and PROGRAM_MARKER.encode() not in response.content
