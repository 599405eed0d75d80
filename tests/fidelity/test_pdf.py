"""The fidelity report PDF (WeasyPrint): renders, names the program, shows the total; SVG charts only."""

import datetime
import shutil
import subprocess

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from audit.models import Action, AuditEvent
from fidelity import views

from .support import complete_review, make_region

pytestmark = pytest.mark.django_db


def pdf_text(data, tmp_path, review):
    """Text of the PDF with poppler's pdftotext (Debian poppler-utils, which CI installs); without it,
    the text of the same template laid out by WeasyPrint (its page boxes), so the test still checks
    what the PDF would contain."""
    if shutil.which("pdftotext"):
        path = tmp_path / "report.pdf"
        path.write_bytes(data)
        result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
        return result.stdout
    from weasyprint import HTML

    document = HTML(string=render_to_string("fidelity/report_pdf.html", views._report_context(review))).render()
    boxes = (box for page in document.pages for box in page._page_box.descendants())
    return " ".join(box.text for box in boxes if hasattr(box, "text"))


def test_pdf_renders_with_program_name_total_and_level(client, tmp_path):
    ns = make_region()
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
    text = pdf_text(data, tmp_path, review)
    assert "Harbor Lights IPS" in text
    assert "Total: 104 / 125" in " ".join(text.split())
    assert "Good fidelity" in text
    assert "Section subtotals" in text and "Totals over time" in text


def test_pdf_template_has_server_rendered_svg_charts_and_no_scripts():
    ns = make_region()
    complete_review(ns, 92, visit=datetime.date(2025, 10, 1))
    review = complete_review(ns, 104, visit=datetime.date(2026, 4, 1))
    html = render_to_string("fidelity/report_pdf.html", views._report_context(review))
    assert html.count("<svg") == 2
    assert "<script" not in html and "<canvas" not in html
    assert ">92</text>" in html and ">104</text>" in html  # both totals in the history chart
