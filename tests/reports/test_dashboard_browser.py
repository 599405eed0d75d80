"""The supervisor dashboard and the regional view in a real Chromium, on the demo region.

Each chart must be a live Chart.js instance with data points; the pages must not scroll sideways on a
phone; a click on a bar opens the drill-down list behind it. Screenshots go to test-artifacts/.
"""

import pytest
from django.utils import timezone

from demo import builder as demo

from .. import factories as f
from ..browser import login, new_context, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}

SMALLEST_TARGET = """() => Math.min(...Array.from(document.querySelectorAll(
  'main .btn, main .dash-cell-link, main summary, main .form-select')).filter(el => el.offsetParent !== null)
  .map(el => el.getBoundingClientRect().height))"""

CHARTS_STATE = """() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(canvas => {
  const chart = Chart.getChart(canvas);
  const points = chart ? chart.data.datasets
      .filter(ds => ds.borderDash === undefined)
      .reduce((n, ds) => n + ds.data.filter(v => v !== null && (typeof v === 'object' || v > 0)).length, 0) : 0;
  const ctx = canvas.getContext('2d');
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4 * 97) { if (pixels[i] !== 0) painted++; }
  return {id: canvas.id, chart: !!chart, points: points, painted: painted, height: canvas.clientHeight};
})"""


@pytest.fixture
def desktop_page(browser):
    context = new_context(browser, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo_region(db):
    f.current_scale()  # a previous transactional test may have flushed the scale's data migration
    demo.seed(today=timezone.localdate())


def assert_charts_drawn(page, expected):
    states = page.evaluate(CHARTS_STATE)
    assert len(states) == expected, states
    for state in states:
        assert state["chart"], state
        assert state["points"] > 0, state
        assert state["painted"] > 0, state
        assert state["height"] >= 200, state


def test_supervisor_dashboard_draws_every_chart(live_server, desktop_page, phone_page, demo_region):
    login(desktop_page, live_server, "supervisor", demo.PASSWORD)
    desktop_page.goto(f"{live_server.url}/reports/dashboard/?program=riverbend-ips")
    desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.locator("[data-card=active_caseload] .dash-value").inner_text().strip() not in ("", "0")
    assert_charts_drawn(desktop_page, 7)
    screenshot(desktop_page, "dashboard-supervisor")

    # The accessible table under a chart opens and lists the figures.
    details = desktop_page.locator("#chart-caseload").locator("xpath=ancestor::section//details")
    details.locator("summary").click()
    assert details.locator("tbody tr").count() >= 1

    # A click on the first caseload bar opens the clients behind it.
    box = desktop_page.locator("#chart-caseload").bounding_box()
    bar = desktop_page.evaluate(
        "() => { const el = Chart.getChart(document.getElementById('chart-caseload')).getDatasetMeta(0).data[0];"
        " return {x: el.x, y: (el.y + el.base) / 2}; }"
    )
    desktop_page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    desktop_page.wait_for_url("**/reports/dashboard/clients/**")
    assert desktop_page.locator("#drilldown-table tbody tr").count() >= 1

    login(phone_page, live_server, "supervisor", demo.PASSWORD)
    phone_page.goto(f"{live_server.url}/reports/dashboard/")
    phone_page.wait_for_load_state("networkidle")
    assert_charts_drawn(phone_page, 7)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.evaluate(SMALLEST_TARGET) >= 44
    screenshot(phone_page, "dashboard-supervisor-phone")

    # A headline number opens its client list; the list fits a phone too.
    phone_page.click("[data-card=working] .dash-value a")
    phone_page.wait_for_url("**/reports/dashboard/clients/**")
    assert phone_page.locator("#drilldown-table tbody tr").count() >= 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "dashboard-drilldown-phone")


def test_regional_view_draws_the_scatter(live_server, desktop_page, phone_page, demo_region):
    login(desktop_page, live_server, "trainer", demo.PASSWORD)
    desktop_page.goto(f"{live_server.url}/reports/region/")
    desktop_page.wait_for_load_state("networkidle")
    assert desktop_page.locator("#region-table tbody tr").count() == 3
    assert_charts_drawn(desktop_page, 1)
    screenshot(desktop_page, "dashboard-region")

    # Sorting works without JavaScript: a plain link.
    desktop_page.click("#region-table th a[data-sort=rate]")
    desktop_page.wait_for_load_state("networkidle")
    assert "sort=-rate" in desktop_page.url

    # Drill down to a program's dashboard: figures, no client list.
    desktop_page.click("#region-table tbody tr:first-child th a")
    desktop_page.wait_for_load_state("networkidle")
    assert "/reports/dashboard/" in desktop_page.url
    assert_charts_drawn(desktop_page, 7)
    assert desktop_page.locator("a[href*='/reports/dashboard/clients/']").count() == 0
    screenshot(desktop_page, "dashboard-trainer-program")

    login(phone_page, live_server, "trainer", demo.PASSWORD)
    phone_page.goto(f"{live_server.url}/reports/region/")
    phone_page.wait_for_load_state("networkidle")
    assert_charts_drawn(phone_page, 1)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.evaluate(SMALLEST_TARGET) >= 44
    screenshot(phone_page, "dashboard-region-phone")
