"""Time the first PDF of a fresh web process (docs/performance.md).

    DEBUG=1 .venv/bin/python scripts/pdf_timing.py            # cold: the first request pays WeasyPrint's start-up
    DEBUG=1 .venv/bin/python scripts/pdf_timing.py --warm     # as a worker booted by ips_site/wsgi.py (core.pdf.warm)

Renders the quarterly report's PDF template around a synthetic report (a 40-row breakdown table, no
database), three times, and prints each time in seconds."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

import django  # noqa: E402

django.setup()

from core import pdf  # noqa: E402

ROWS = "".join(
    f"<tr><th scope='row'>Specialist {i}</th><td>{i}</td><td>{40 - i}</td><td>{i * 2}%</td></tr>" for i in range(40)
)
HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Timing</title>'
    '<style>body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }</style></head><body>'
    "<h1>Harbor IPS · 2026 Q3</h1><h2>By specialist</h2><table><thead><tr><th>Specialist</th><th>Working</th>"
    f"<th>Active</th><th>Rate</th></tr></thead><tbody>{ROWS}</tbody></table></body></html>"
)

if "--warm" in sys.argv:
    started = time.perf_counter()
    pdf.warm()
    print(f"warm-up at boot: {time.perf_counter() - started:.2f} s")
for n in range(1, 4):
    started = time.perf_counter()
    pdf.render_html_pdf(HTML)
    print(f"PDF {n}: {time.perf_counter() - started:.2f} s")
