"""seed_demo: synthetic, idempotent, and shaped like a real IPS region."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from clients.models import Client, Enrollment
from demo import builder as demo
from fidelity.models import FidelityReview, ReviewStatus
from jobs.models import JobStart
from outcomes import metrics
from programs.models import Membership, Program, Role, User

from . import factories as f

pytestmark = pytest.mark.django_db

SEEDED_APPS = ["programs", "clients", "jobs", "fidelity"]


def counts():
    return {
        model._meta.label: model.objects.count()
        for app in SEEDED_APPS
        for model in apps.get_app_config(app).get_models()
    }


def rate(programs, period):
    """The quarterly employment rate as the application defines it (outcomes.metrics)."""
    return metrics.outcomes(programs, period, denominator="all_active").employment_rate.value


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())
    return counts()


def test_seed_creates_the_demo_region(seeded):
    assert Program.objects.filter(agency__region__code=demo.REGION_CODE).count() == 3
    assert 140 <= Client.objects.count() <= 160
    assert Membership.objects.filter(role=Role.SPECIALIST).count() == 8
    assert Membership.objects.filter(role=Role.SUPERVISOR).values("user").distinct().count() == 2
    assert Enrollment.objects.filter(enrollment_date__isnull=True).exists()  # pending referrals
    assert (
        Client.objects.filter(enrollments__closure_date__isnull=False)
        .filter(enrollments__closure_date__isnull=True)
        .exists()
    )  # a re-enrolled client
    occupation_groups = set(JobStart.objects.values_list("occupation_group", flat=True))
    assert len(occupation_groups) >= 8


def test_seeding_twice_creates_nothing_more(seeded):
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == seeded


def demo_rows():
    """The demo region's clients and the demo users: {id: what the row is, without its id}."""
    clients = Client.objects.filter(program__agency__region__code=demo.REGION_CODE)
    users = User.objects.filter(username__in={username for username, _, _ in demo.logins()})
    return {
        "clients": {pk: rest for pk, *rest in clients.values_list("pk", "program__code", "first_name", "last_name")},
        "users": dict(users.values_list("pk", "username")),
    }


def test_reset_deletes_the_demo_region_and_rebuilds_the_same_data(seeded):
    other = f.ClientFactory(first_name="Elsewhere")  # another region's client: the reset leaves it alone
    before, expected_counts = demo_rows(), counts()
    demo_program = Program.objects.filter(agency__region__code=demo.REGION_CODE).first()
    marker = f.ClientFactory(program=demo_program, first_name="Marker")  # the reset must delete it

    call_command("seed_demo", "--reset", stdout=io.StringIO())

    after = demo_rows()
    assert not Client.objects.filter(pk=marker.pk).exists()
    assert Client.objects.filter(pk=other.pk).exists()
    assert counts() == expected_counts
    for kind in ("clients", "users"):
        # Every demo row was deleted and built again (new ids), with the same content.
        assert before[kind] and set(before[kind]).isdisjoint(after[kind]), kind
        assert sorted(before[kind].values()) == sorted(after[kind].values()), kind


def test_every_demo_user_can_log_in(seeded, client):
    usernames = {username for username, _, _ in demo.logins()}
    assert {"admin", "specialist", "supervisor", "trainer"} <= usernames
    for username in usernames:
        assert client.login(username=username, password=demo.PASSWORD), username


def test_each_program_has_a_finalized_fidelity_review_at_a_different_level(seeded):
    latest = {}
    for review in FidelityReview.objects.filter(status=ReviewStatus.FINALIZED).order_by("visit_start"):
        latest[review.program_id] = review
        assert review.item_scores.filter(consensus_score__isnull=False).count() == 25
        assert sum(review.item_scores.values_list("consensus_score", flat=True)) == review.total_score
    assert len(latest) == 3
    assert sorted(r.total_score for r in latest.values()) == [92, 104, 117]


def test_quarterly_employment_rates_look_like_real_ips_programs(seeded):
    programs = Program.objects.all()
    last_complete = metrics.Period.quarter_containing(timezone.localdate(), 1).previous()
    for period in last_complete.quarters_back(4):
        assert 0.30 <= rate(programs, period) <= 0.55, period.code
        for program in programs:
            # Small teams swing more from quarter to quarter than the region does.
            assert 0.20 <= rate(Program.objects.filter(pk=program.pk), period) <= 0.62, (program.code, period.code)


def test_contacts_and_job_development_are_dense_enough(seeded):
    from jobs.models import EmployerContact

    weeks = demo.HISTORY_DAYS / 7
    per_specialist_week = EmployerContact.objects.count() / 8 / weeks
    assert 4 <= per_specialist_week <= 8
    assert apps.get_model("clients", "Contact").objects.count() > 3000
