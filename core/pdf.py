"""HTML-to-PDF rendering shared by every printable report (fidelity reports, quarterly reports).

WeasyPrint runs no JavaScript, so charts in PDFs must be server-rendered SVG, never Chart.js.
Static files are resolved through the staticfiles finders, so no server or network is needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


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


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes."""
    from weasyprint import HTML  # imported lazily: it loads Pango, which only PDF work needs

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher()).write_pdf()


def pdf_response(template_name: str, context: dict[str, Any], request: HttpRequest, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
