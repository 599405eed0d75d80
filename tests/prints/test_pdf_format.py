"""Every PDF (core/pdf.py): paper from settings.PDF_PAPER_SIZE (Letter by default), tagged PDF/UA,
table headers on every page, no heading left alone at the foot of a page."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from core.pdf import render_html_pdf


def page(body):
    return f'<!doctype html><html lang="en"><head><title>Test document</title></head><body>{body}</body></html>'


def info(pdf_tool, data):
    return " ".join(pdf_tool("pdfinfo", data).split())


def test_letter_by_default_and_tagged(pdf_tool):
    data = render_html_pdf(page("<p>Hello</p>"))
    assert "Page size: 612 x 792 pts (letter)" in info(pdf_tool, data)
    assert "Tagged: yes" in info(pdf_tool, data)


def test_a4_when_the_installation_says_so(settings, pdf_tool):
    settings.PDF_PAPER_SIZE = "A4"
    assert "Page size: 595.276 x 841.89 pts (A4)" in info(pdf_tool, render_html_pdf(page("<p>Hello</p>")))


def test_a_template_asking_for_a4_still_prints_on_the_setting(pdf_tool):
    html = page("<style>@page { size: A4; }</style><p>Hello</p>")
    assert "(letter)" in info(pdf_tool, render_html_pdf(html))


def test_unknown_paper_size_is_a_configuration_error(settings):
    settings.PDF_PAPER_SIZE = "tabloid-ish"
    with pytest.raises(ImproperlyConfigured):
        render_html_pdf(page("<p>Hello</p>"))


def test_long_table_repeats_its_header_on_every_page(pdf_tool):
    rows = "".join(f"<tr><td>Row {i}</td><td>{i}</td></tr>" for i in range(150))
    table = f"<table><thead><tr><th>Quarter name</th><th>Working count</th></tr></thead><tbody>{rows}</tbody></table>"
    data = render_html_pdf(page(table))
    assert int(info(pdf_tool, data).split("Pages: ")[1].split()[0]) >= 3
    second = pdf_tool("pdftotext", data, "-f", "2", "-l", "2")
    assert "Row 149" not in second and "Quarter name" in second and "Working count" in second
    third = pdf_tool("pdftotext", data, "-f", "3", "-l", "3")
    assert "Quarter name" in third


def test_a_heading_moves_to_the_next_page_with_what_follows(pdf_tool):
    # The filler leaves room for the heading at the foot of page 1 but not for the table under it
    # (WeasyPrint keeps headings with what follows; static/css/pdf.css restates it).
    body = (
        '<div style="height: 236mm">Filler</div><h2>Rates by quarter</h2>'
        "<table><thead><tr><th>Quarter</th></tr></thead><tbody><tr><td>2026 Q3</td></tr></tbody></table>"
    )
    data = render_html_pdf(page(body))
    assert "Rates by quarter" not in pdf_tool("pdftotext", data, "-f", "1", "-l", "1")
    assert "Rates by quarter" in pdf_tool("pdftotext", data, "-f", "2", "-l", "2")


def quarterly_context(measures):
    """Just enough of a quarterly report for its PDF template: `measures` comparison rows push the
    rates by quarter (heading, chart, 8-row table) down page 1 and past its foot."""
    row = {"status": "meets", "status_label": "Meets", "display": "50%", "benchmark": "40%", "note": "A note."}
    comparison = [{**row, "key": f"k{i}", "measure": f"Measure {i}"} for i in range(measures)]
    trend = [
        {
            "label": f"Quarter {i}",
            "rate": {"numerator": i, "denominator": 10, "percent": i * 10},
            "band": {"label": "Fair"},
        }
        for i in range(8)
    ]
    report = {"scope_name": "Harbor IPS", "period_label": "2026 Q3", "version": 1}
    chart = {"width": 400, "height": 150, "bars": []}
    return {"report": report, "data": {"comparison": comparison, "trend": trend}, "chart": chart}


@pytest.mark.parametrize("measures", range(12, 20))
def test_quarterly_rates_by_quarter_stay_with_their_heading(pdf_tool, measures):
    # Without the template's keep-together rule, 15 to 17 measures split the table from its heading.
    data = render_html_pdf(render_to_string("reports/quarterly/pdf.html", quarterly_context(measures)))
    pages = pdf_tool("pdftotext", data).split("\f")
    (trend,) = [text for text in pages if "Employment rate, last" in text]
    assert all(f"Quarter {i}" in trend for i in range(8))


def test_warm_up_prepares_fonts_and_stylesheets_once_per_thread():
    from core import pdf

    pdf.warm()
    font_config, stylesheets = pdf._resources()
    render_html_pdf(page("<p>Hello</p>"))
    assert pdf._resources() == (font_config, stylesheets)  # reused, not rebuilt for each PDF
