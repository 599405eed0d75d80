"""Every drill-down the measure catalogue promises is served, lists the records behind its figure and
stays inside the user's programs."""

import csv
import io

import pytest
from django.urls import reverse

from outcomes import metrics
from outcomes.measures import CATALOGUE, measure
from outcomes.periods import Period
from programs.models import Program, Role

from .. import factories as f
from .dashboard_data import Q1, D

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dashboard_today")]

DRILLDOWNS = [m.key for m in CATALOGUE if m.drilldown is not None]
# Counts of metrics.outcomes whose drill-down lists exactly the records counted.
COUNTS = [
    "active_caseload",
    "working",
    "caseload_at_end",
    "in_education",
    "job_starts",
    "first_job_starts",
    "jobs_held",
    "new_enrollments",
    "closures",
    "employer_contacts",
]


@pytest.fixture
def records(world):
    """The dashboard's program with at least one record behind every drill-down: an education
    activity, a referral without an enrollment date, a job without hours and a client contact without a
    mode in 2026Q1."""
    clients = world["clients"]
    pending = f.ClientFactory(program=world["program"], first_name="Wilma", last_name="Pending")
    f.EnrollmentFactory(client=pending, referral_date=D(2026, 2, 1), enrollment_date=None)
    f.EducationActivityFactory(client=clients["c1"], start_date=D(2026, 1, 20))
    f.JobStartFactory(client=clients["c4"], start_date=D(2026, 3, 1), hours_per_week=None)
    f.ContactFactory(client=clients["c5"], contact_date=D(2026, 2, 2), mode="")
    return world


def drill(client, user, key, **params):
    client.force_login(user)
    return client.get(reverse("reports:drilldown"), {"measure": key, "quarter": Q1, **params})


def test_the_catalogue_has_drilldowns_of_every_record_kind():
    assert {measure(key).drilldown.value for key in DRILLDOWNS} == {
        "clients",
        "jobs",
        "enrollments",
        "contacts",
        "client_contacts",
    }


@pytest.mark.parametrize("key", DRILLDOWNS)
def test_every_drilldown_in_the_catalogue_is_served(client, records, supervisor_a, key):
    kind = measure(key).drilldown.value
    response = drill(client, supervisor_a, key)
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0
    assert f"reports/dashboards/drilldown/_{kind}.html" in [t.name for t in response.templates]
    assert response.context["drill"].measure == measure(key)
    assert measure(key).label in response.text
    exported = drill(client, supervisor_a, key, format="csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == response.context["page"].paginator.count + 1  # the header and every record

    # Another program's supervisor: no such program for them, whatever the measure.
    outsider = f.make_user(Role.SUPERVISOR, program=records["other"], username="outsider")
    assert drill(client, outsider, key, program=records["program"].code).status_code == 404
    assert drill(client, outsider, key).status_code == 200  # their own program's list (nothing of A's)


@pytest.mark.parametrize("key", COUNTS)
def test_a_count_lists_exactly_the_records_it_counts(client, records, supervisor_a, key):
    expected = metrics.outcomes(Program.objects.filter(pk=records["program"].pk), Period.parse(Q1))
    assert drill(client, supervisor_a, key).context["page"].paginator.count == getattr(expected, key)


@pytest.mark.parametrize("key", ["caseload", "no_such_measure", "", "employment_rate", "specialist_count"])
def test_unknown_keys_and_measures_without_records_are_404(client, world, supervisor_a, key):
    """Old keys (`caseload`), nonsense and catalogue measures with no list of their own."""
    assert drill(client, supervisor_a, key).status_code == 404
