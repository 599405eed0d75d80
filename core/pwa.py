"""The installable web app: its manifest, its service worker (served from the site root so its scope
is the whole site) and the offline page the worker shows when a page cannot load.

None of these carries client data: the worker caches static files and the offline page only.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

SERVICE_WORKER = settings.BASE_DIR / "static" / "js" / "sw.js"


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("icons/maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    data = {
        "name": "IPS Case Manager",
        "short_name": "IPS Cases",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": icons,
    }
    response = JsonResponse(data)
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)  # a new worker must reach phones at their next visit
def service_worker(request: HttpRequest) -> HttpResponse:
    script = SERVICE_WORKER.read_text(encoding="utf-8")
    # The static files the worker keeps for offline use, under their deployed (hashed) names.
    assets = [
        static(name)
        for name in (
            "vendor/bootstrap/bootstrap.min.css",
            "css/app.css",
            "vendor/bootstrap/bootstrap.bundle.min.js",
            "vendor/htmx/htmx.min.js",
            "js/app.js",
            "js/offline.js",
            "js/offline-log.js",
            "js/session.js",
            "icons/icon-192.png",
        )
    ]
    script = script.replace("/*ASSETS*/[]", repr(assets).replace("'", '"'))
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows when a page cannot load: no client data, only the phone's own outbox."""
    return render(request, "offline.html")
