"""HTML-to-PDF rendering shared by every printable document (fidelity and quarterly reports, client prints).

WeasyPrint runs no JavaScript, so charts in PDFs must be server-rendered SVG, never Chart.js.
Static files are resolved through the staticfiles finders, so no server or network is needed.

Every PDF is tagged PDF/UA-1 (screen readers, `pdfinfo` "Tagged: yes"), on the paper of
settings.PDF_PAPER_SIZE (Letter unless the installation prints A4), with the shared print rules of
static/css/pdf.css (table headers repeated on every page, no heading left alone at a page foot).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PAPER_SIZES = {"letter": "letter", "a4": "A4", "legal": "legal"}
PDF_VARIANT = "pdf/ua-1"
PRINT_STYLESHEET = "css/pdf.css"

# One font configuration and parsed stylesheet per thread (gunicorn runs threads; Pango objects are not
# shared between them): building them again for every PDF cost a third of a small report's time.
_local = threading.local()


def paper_size() -> str:
    """The CSS @page size of settings.PDF_PAPER_SIZE ("letter", "A4" or "legal", any case)."""
    value = str(getattr(settings, "PDF_PAPER_SIZE", "letter")).strip().lower()
    if value not in PAPER_SIZES:
        raise ImproperlyConfigured(f"PDF_PAPER_SIZE must be one of {', '.join(PAPER_SIZES)}, not {value!r}.")
    return PAPER_SIZES[value]


def _static_fetcher() -> Any:
    """A WeasyPrint fetcher that serves /static/... from the finders and refuses everything else
    (a PDF never reaches the network)."""
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            marker = "/static/"
            if marker in url:
                path = finders.find(url.split(marker, 1)[1].split("?", 1)[0])
                if path:
                    return super().fetch(f"file://{path}", headers)
            raise ValueError(f"PDF rendering does not fetch {url}")

    return StaticFilesFetcher()


def _resources() -> tuple[Any, list[Any]]:
    """This thread's font configuration and the shared stylesheets. They are user stylesheets, below a
    template's own rules, so the paper size is !important: it wins over any template's @page size."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    size = paper_size()
    if getattr(_local, "size", None) != size:
        font_config = FontConfiguration()
        path = finders.find(PRINT_STYLESHEET)
        if not path:
            raise ImproperlyConfigured(f"The print stylesheet {PRINT_STYLESHEET} is missing.")
        shared = CSS(filename=path, font_config=font_config)
        page = CSS(string=f"@page {{ size: {size} !important; }}", font_config=font_config)
        _local.font_config, _local.stylesheets, _local.size = font_config, [shared, page], size
    return _local.font_config, _local.stylesheets


def render_html_pdf(html: str, base_url: str = "http://localhost/") -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango, which only PDF work needs (see warm())

    font_config, stylesheets = _resources()
    document = HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher())
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes."""
    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return render_html_pdf(html, base_url)


def pdf_response(template_name: str, context: dict[str, Any], request: HttpRequest, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def warm() -> None:
    """Pay WeasyPrint's start-up (importing Pango and cairo bindings, loading fontconfig's font list,
    parsing the print stylesheet) once when a web worker boots, not in the first user's PDF request.
    Called from ips_site/wsgi.py; see docs/performance.md for the figures."""
    render_html_pdf('<!doctype html><html lang="en"><head><title>warm-up</title></head><body><p>.</p></body></html>')
