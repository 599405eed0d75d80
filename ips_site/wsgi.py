"""
WSGI config for ips_site project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ips_site.settings")

application = get_wsgi_application()

# Load WeasyPrint once per worker at boot, so the first PDF a user asks for is not the slow one
# (docs/performance.md). PDF_WARM=0 skips it.
if os.environ.get("PDF_WARM", "1") != "0":
    import logging

    from core.pdf import warm

    try:
        warm()
    except Exception:  # the pages still work; the first PDF will show the real error
        logging.getLogger("core.pdf").exception("PDF warm-up failed")
