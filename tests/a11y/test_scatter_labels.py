"""The region scatter names each program beside its point; names of programs with close scores must not
be printed over each other (measured on the label boxes Chromium draws)."""

import pytest

from .. import factories as f
from ..browser import login, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Six programs, four of them on almost the same spot (fidelity 100-102, rate 40-42%).
POINTS = [
    {"x": 100, "y": 40, "label": "Riverbend IPS"},
    {"x": 101, "y": 41, "label": "Harbor Employment"},
    {"x": 100, "y": 42, "label": "North County Works"},
    {"x": 102, "y": 40, "label": "Lakeside Supported Jobs"},
    {"x": 60, "y": 20, "label": "Hillcrest IPS"},
    {"x": 115, "y": 70, "label": "Valley Careers"},
]

DRAW = """points => {
    const holder = document.createElement('div');
    holder.style.width = '800px';
    holder.style.height = '400px';
    const canvas = document.createElement('canvas');
    holder.appendChild(canvas);
    document.querySelector('main').appendChild(holder);
    const spec = {type: 'scatter', title: 'Programs', xTitle: 'Fidelity', yTitle: 'Rate', points, datasets: []};
    const chart = new Chart(canvas, IPSCharts.config(spec));
    chart.draw();
    return {boxes: chart.$labelBoxes, area: chart.chartArea};
}"""


def overlaps(a, b):
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_program_labels_on_the_scatter_do_not_overlap(live_server, browser, program_a, trainer):
    f.ProgramFactory(agency__region=program_a.agency.region)
    context = new_context(browser, viewport={"width": 1280, "height": 800}, bypass_csp=True)
    page = context.new_page()
    login(page, live_server, "trainer_r", f.PASSWORD)
    page.goto(f"{live_server.url}/reports/region/")
    page.wait_for_function("typeof window.IPSCharts !== 'undefined'")
    drawn = page.evaluate(DRAW, POINTS)
    boxes, area = drawn["boxes"], drawn["area"]
    context.close()

    # Most names fit beside their point; any that cannot are left to the tooltip and the table.
    assert len(boxes) >= 5, boxes
    for i, box in enumerate(boxes):
        assert area["left"] <= box["left"] and box["right"] <= area["right"], box
        assert area["top"] <= box["top"] and box["bottom"] <= area["bottom"], box
        for other in boxes[i + 1 :]:
            assert not overlaps(box, other), (box["name"], other["name"])
