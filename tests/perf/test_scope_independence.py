"""A program's dashboard costs the same whatever else is in the database (issue #16).

The supervisor dashboard of one program is loaded, then a second, larger region (other programs with
many more clients, jobs, contacts and employer contacts) is added: the same program's dashboard must
run exactly as many queries, show the same figures, and (PostgreSQL) every query must have a plan that
reaches the big tables by index from the program's scope -- EXPLAIN with sequential scans disabled,
so that tiny test tables cannot hide a missing index path, shows no sequential scan of them, nor an
index scan without an index condition (the whole table read in index order).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .. import factories as f
from .data import populate, staff

pytestmark = pytest.mark.django_db

BIG_TABLES = {"clients_enrollment", "clients_client", "clients_contact", "jobs_jobstart", "jobs_employercontact"}


def dashboard_queries(client, params=None):
    client.get(reverse("reports:dashboard"), params or {})  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:dashboard"), params or {})
    assert response.status_code == 200
    cards = {card.key: (card.raw, card.previous_raw) for card in response.context["cards"]}
    rows = [
        (str(r["specialist"]), r["caseload"], r["working"], r["starts"]) for r in response.context["specialist_rows"]
    ]
    charts = {chart.key: [s.data for s in chart.series] for chart in response.context["charts"]}
    return [q["sql"] for q in ctx.captured_queries], (cards, rows, charts)


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def whole_table_scans(sql):
    """The big tables a query's plan reads whole when any other path exists: a sequential scan, or an
    index scan with no index condition (every entry of the index, in its order)."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET enable_seqscan")
    return {
        f"{node['Node Type']} on {node['Relation Name']}"
        for node in _nodes(plan["Plan"])
        if node.get("Relation Name") in BIG_TABLES
        and (node["Node Type"] == "Seq Scan" or ("Index" in node["Node Type"] and "Index Cond" not in node))
    }


@pytest.fixture
def program(program_a, supervisor_a):
    today = timezone.localdate()
    people, employers = staff(program_a, 3, "mine")
    populate(program_a, people, employers, 40, today, seed=1)
    return program_a


def add_larger_region():
    today = timezone.localdate()
    region = f.RegionFactory(name="Larger region", code="LARGER")
    for i in range(4):
        other = f.ProgramFactory(agency__region=region, name=f"Larger program {i}", code=f"larger-{i}")
        people, employers = staff(other, 4, f"larger{i}")
        populate(other, people, employers, 150, today, seed=10 + i)


@pytest.mark.parametrize("scope", ["program", "specialist"])
def test_a_programs_dashboard_does_not_grow_with_other_programs_data(client, program, supervisor_a, scope):
    client.force_login(supervisor_a)
    params = {}
    if scope == "specialist":
        params["specialist"] = program.memberships.filter(role="specialist").order_by("pk").first().user_id
    before, shown = dashboard_queries(client, params)
    assert shown[0]["active_caseload"][0] > 3 and any(shown[2]["job_starts"][0])  # the program has data

    add_larger_region()
    after, shown_after = dashboard_queries(client, params)

    assert len(after) == len(before)
    assert shown_after == shown  # another region's records change none of the program's figures
    if connection.vendor != "postgresql":
        pytest.skip("The plans are checked on PostgreSQL (EXPLAIN with enable_seqscan = off).")
    # The check itself: a filter no index serves is read whole even with sequential scans disabled.
    assert whole_table_scans("SELECT id FROM clients_contact WHERE mode = ''") == {"Seq Scan on clients_contact"}
    assert whole_table_scans("SELECT id FROM jobs_jobstart ORDER BY id") == {"Index Only Scan on jobs_jobstart"}
    scans = {
        sql[:160]: found for sql in after if sql.lstrip("(").startswith("SELECT") and (found := whole_table_scans(sql))
    }
    assert scans == {}
