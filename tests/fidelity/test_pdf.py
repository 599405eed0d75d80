"""The fidelity report PDF (WeasyPrint): renders, names the program, shows the total; SVG charts only.

The PDF is read back with poppler's pdftotext (poppler-utils), a requirement of the test run."""

import datetime
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from audit.models import Action, AuditEvent
from fidelity.views.report import report_context

from .support import complete_review

pytestmark = pytest.mark.django_db


def pdf_text(data, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
    return result.stdout


def test_pdf_renders_with_program_name_total_and_level(client, tmp_path, ns):
    complete_review(ns, 92, visit=datetime.date(2025, 10, 1))
    review = complete_review(ns, 104, visit=datetime.date(2026, 4, 1))
    client.force_login(ns.supervisor)
    response = client.get(reverse("fidelity:report_pdf", args=[review.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "harbor-lights" in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF") and len(data) > 5000
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(review.pk)).exists()
    text = pdf_text(data, tmp_path)
    assert "Harbor Lights IPS" in text
    assert "Total: 104 / 125" in " ".join(text.split())
    assert "Good fidelity" in text
    assert "Section subtotals" in text and "Totals over time" in text
    pdfinfo = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, check=True, text=True)
    info = " ".join(pdfinfo.stdout.split())
    assert "Page size: 612 x 792 pts (letter)" in info and "Tagged: yes" in info  # US paper, accessible


def test_pdf_template_has_server_rendered_svg_charts_and_no_scripts(ns):
    complete_review(ns, 92, visit=datetime.date(2025, 10, 1))
    review = complete_review(ns, 104, visit=datetime.date(2026, 4, 1))
    html = render_to_string("fidelity/report_pdf.html", report_context(review))
    assert html.count("<svg") == 2
    assert "<script" not in html and "<canvas" not in html
    assert ">92</text>" in html and ">104</text>" in html  # both totals in the history chart
