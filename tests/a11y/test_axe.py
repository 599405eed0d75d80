"""WCAG 2.2 AA in the browser: axe-core on every page template, at desktop and phone widths.

The list of pages comes from the URL resolver (as in tests/test_route_matrix.py), so a new page is checked
without editing this file. Each route is opened once, as the first persona the server gives a full HTML
page (exports, PDFs, the API, htmx fragments and POST-only routes answer otherwise and are left out).
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .. import factories as f
from ..browser import PHONE, login, new_context
from .conftest import PK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
SKIPPED_NAMESPACES = {"admin", "api"}  # the admin is Django's; the API answers JSON
NOT_PAGES = re.compile(r"export|pdf|submission|healthz|readyz|^health$|logout")
BLOCKING = {"critical", "serious"}
# Below "serious" in axe's scale, but named in issue 17: a landmark twice with the same name.
ALSO_BLOCKING_RULES = {"landmark-unique"}


def html_routes():
    """(name, route pattern) of every named route outside the admin and the API, plus the API's token page."""
    out = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if namespace in SKIPPED_NAMESPACES and name != "api:tokens" or NOT_PAGES.search(entry.name):
                    continue
                out.append((name, prefix + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", None)
    return out


def build_url(route, program):
    values = {"code": program.code, "hint": "caseload", "uidb64": "MQ", "token": "set-password"}

    def fill(match):
        return values.get(match.group(2)) or str(PK)

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    # Query parameters that some pages read to pick a program, region, client or employer.
    region = program.agency.region.code
    return f"{path}?program={program.code}&region={region}&client={PK}&employer={PK}"


def is_full_page(response):
    content_type = response.get("Content-Type", "")
    return response.status_code == 200 and content_type.startswith("text/html") and b"<html" in response.content


def pages_by_persona(personas, program):
    """{persona name: [(route name, url)]}: each page once, for the first persona who gets it in full."""
    assigned = {name: [] for name in personas}
    for route_name, route in html_routes():
        url = build_url(route, program)
        for persona, user in personas.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            if is_full_page(client.get(url)):
                assigned[persona].append((route_name, url))
                break
    return assigned


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary
                    .replace(/\\s+/g, ' ').slice(0, 160))}));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING or v["id"] in ALSO_BLOCKING_RULES]


def test_every_page_passes_axe_at_desktop_and_phone_widths(
    live_server, browser, program_a, a11y_records, specialist_a, supervisor_a, trainer, admin_user
):
    personas = {"anonymous": None, "spec_a": specialist_a, "super_a": supervisor_a, "trainer_r": trainer}
    personas["global_admin"] = admin_user
    assigned = pages_by_persona(personas, program_a)
    checked = {name for pages in assigned.values() for name, _ in pages}
    # The run must really cover the application's pages, for every kind of user.
    for expected in [
        "login",
        "home",
        "clients:caseload",
        "clients:client_detail",
        "clients:contact_create",
        "jobs:employer_detail",
        "fidelity:index",
        "fidelity:score",
        "reports:dashboard",
        "reports:region",
        "reports:quarterly_detail",
        "api:tokens",
    ]:
        assert expected in checked, (expected, assigned)
    assert len(checked) >= 45, sorted(checked)

    failures = []
    for persona, pages in assigned.items():
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            phone = width == "phone"
            # The CSP allows no inline script; axe is injected as one, so the test context bypasses it.
            context = new_context(browser, viewport=viewport, is_mobile=phone, has_touch=phone, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            if persona != "anonymous":
                login(page, live_server, persona, f.PASSWORD)
            for route_name, url in pages:
                page.goto(live_server.url + url)
                page.wait_for_load_state("networkidle")
                for violation in axe_violations(page):
                    failures.append(f"{route_name} [{persona}, {width}] {violation['id']} ({violation['impact']})")
                    failures.extend(f"    {target}" for target in violation["targets"])
            context.close()
    assert not failures, "\n".join(failures)
