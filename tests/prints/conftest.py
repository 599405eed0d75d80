"""Fixtures of the print and PDF tests: a client of program A with a plan and a career profile,
another program's client, and helpers reading PDFs back with poppler (pdftotext, pdfinfo)."""

import datetime
import subprocess

import pytest

from clients.models import StepOwner

from .. import factories as f


@pytest.fixture
def plan_client(program_a, specialist_a):
    specialist_a.first_name, specialist_a.last_name = "Dana", "Okafor"
    specialist_a.save()
    client = f.ClientFactory(program=program_a, first_name="Marlo", last_name="Fenwick", record_number="MRN-40417")
    f.EnrollmentFactory(client=client, enrollment_date=datetime.date(2026, 10, 1), specialist=specialist_a)
    plan = f.EmploymentPlanFactory(
        client=client,
        goal="Work part time in a bakery",
        start_date=datetime.date(2026, 10, 5),
        review_date=datetime.date(2027, 1, 5),
    )
    f.PlanStepFactory(
        plan=plan,
        description="Visit two bakeries on Main Street",
        responsible=StepOwner.CLIENT,
        position=1,
        target_date=datetime.date(2026, 12, 4),
    )
    f.PlanStepFactory(
        plan=plan,
        description="Ask the bakery owners about openings",
        responsible=StepOwner.SPECIALIST,
        position=2,
        target_date=datetime.date(2026, 12, 11),
    )
    f.PlanStepFactory(
        plan=plan,
        description="Meet the benefits planner about earnings",
        responsible=StepOwner.BENEFITS_PLANNER,
        position=3,
        target_date=None,
        completed_on=datetime.date(2026, 11, 20),
    )
    profile = f.CareerProfileFactory(
        client=client,
        work_goals="Bake bread early in the morning",
        transportation="Bus line 4",
        last_reviewed=datetime.date(2026, 11, 2),
    )
    f.WorkHistoryEntryFactory(
        profile=profile, job_title="Kitchen helper", employer_name="Corner Cafe", liked="The team", reason_left="Moved"
    )
    return client


@pytest.fixture
def outside_client(program_b, specialist_b):
    client = f.ClientFactory(program=program_b, first_name="Outside", last_name="Person")
    f.EmploymentPlanFactory(client=client)
    f.CareerProfileFactory(client=client)
    return client


@pytest.fixture
def pdf_tool(tmp_path):
    """Run a poppler tool on PDF bytes: pdf_tool("pdftotext", data, "-f", "2") returns its output."""

    def run(tool, data, *args):
        path = tmp_path / "doc.pdf"
        path.write_bytes(data)
        out = [] if tool == "pdfinfo" else ["-"]
        return subprocess.run([tool, *args, str(path), *out], capture_output=True, check=True, text=True).stdout

    return run
