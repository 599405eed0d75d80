"""axe-core on the pages that show the most: the dashboard, the regional view, a finalized fidelity report,
a program's fidelity history, a full caseload and client record, on the demo region's data (charts with
points, long tables). The resolver-wide run (test_axe.py) proves every page; this one proves them full."""

import pytest
from django.utils import timezone

from clients.models import Client
from demo import builder as demo
from fidelity.models import FidelityReview

from .. import factories as f
from ..browser import PHONE, login, new_context
from .test_axe import DESKTOP, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_data_rich_pages_pass_axe(live_server, browser):
    f.current_scale()  # a previous transactional test may have flushed the scale's data migration
    demo.seed(today=timezone.localdate())
    review = FidelityReview.objects.filter(program__code="riverbend-ips").order_by("-visit_start").first()
    client = Client.objects.filter(program__code="riverbend-ips", enrollments__specialist__isnull=False).first()
    specialist = client.enrollments.exclude(specialist=None).first().specialist.username
    pages = {
        "supervisor": ["/reports/dashboard/?program=riverbend-ips", "/fidelity/reports/", "/clients/?who=all"],
        "trainer": [
            "/reports/region/",
            f"/fidelity/reviews/{review.pk}/report/",
            f"/fidelity/reviews/{review.pk}/actions/",
            "/fidelity/programs/riverbend-ips/history/",
            "/fidelity/",
        ],
        specialist: ["/clients/", f"/clients/{client.pk}/"],
    }
    failures = []
    for username, urls in pages.items():
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            phone = width == "phone"
            context = new_context(browser, viewport=viewport, is_mobile=phone, has_touch=phone, bypass_csp=True)
            page = context.new_page()
            page.set_default_timeout(15_000)
            login(page, live_server, username, demo.PASSWORD)
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response.status == 200, url
                page.wait_for_load_state("networkidle")
                for violation in axe_violations(page):
                    failures.append(f"{url} [{username}, {width}] {violation['id']} ({violation['impact']})")
                    failures.extend(f"    {target}" for target in violation["targets"])
            context.close()
    assert not failures, "\n".join(failures)
