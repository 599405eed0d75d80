"""The database itself rejects records that break the important rules, not only the forms."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from clients.models import Enrollment
from fidelity.models import ItemScore, ReviewerScore
from jobs.models import Employer, JobEndType, JobStart
from programs.models import Membership, Role

from . import factories as f

pytestmark = pytest.mark.django_db


def rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.parametrize("score", [0, 6])
def test_consensus_score_outside_1_to_5_is_rejected(score):
    item_score = f.ItemScoreFactory()
    ItemScore.objects.filter(pk=item_score.pk).update(consensus_score=3)  # valid update works
    rejected(lambda: ItemScore.objects.filter(pk=item_score.pk).update(consensus_score=score))


@pytest.mark.parametrize("score", [0, 6])
def test_reviewer_score_outside_1_to_5_is_rejected(score):
    rejected(lambda: f.ReviewerScoreFactory(score=score))


@pytest.mark.parametrize("score", [1, 5])
def test_scores_at_the_ends_of_the_scale_are_accepted(score):
    assert ReviewerScore.objects.filter(pk=f.ReviewerScoreFactory(score=score).pk).exists()


def test_job_ending_before_it_starts_is_rejected():
    job = f.JobStartFactory(start_date=datetime.date(2026, 3, 2))
    rejected(
        lambda: JobStart.objects.filter(pk=job.pk).update(end_date=datetime.date(2026, 3, 1), end_type=JobEndType.QUIT)
    )


def test_job_ending_on_its_start_day_is_accepted():
    job = f.JobStartFactory(start_date=datetime.date(2026, 3, 2))
    JobStart.objects.filter(pk=job.pk).update(end_date=job.start_date, end_type=JobEndType.QUIT)
    job.refresh_from_db()
    assert job.end_date == job.start_date


def test_job_end_needs_an_end_type():
    job = f.JobStartFactory()
    rejected(lambda: JobStart.objects.filter(pk=job.pk).update(end_date=datetime.date(2026, 4, 1)))


@pytest.mark.parametrize("hours", ["0", "81"])
def test_hours_per_week_out_of_range_is_rejected(hours):
    rejected(lambda: f.JobStartFactory(hours_per_week=hours))


def test_two_open_enrollments_for_one_client_are_rejected():
    first = f.EnrollmentFactory()
    rejected(lambda: f.EnrollmentFactory(client=first.client, enrollment_date=datetime.date(2026, 2, 1)))


def test_reenrollment_after_closure_is_accepted():
    first = f.EnrollmentFactory(enrollment_date=datetime.date(2025, 1, 10))
    Enrollment.objects.filter(pk=first.pk).update(closure_date=datetime.date(2025, 6, 1), closure_reason="moved")
    f.EnrollmentFactory(client=first.client, enrollment_date=datetime.date(2026, 2, 1))
    assert first.client.enrollments.count() == 2


def test_closure_before_enrollment_is_rejected():
    enrollment = f.EnrollmentFactory(enrollment_date=datetime.date(2026, 1, 10))
    rejected(
        lambda: Enrollment.objects.filter(pk=enrollment.pk).update(
            closure_date=datetime.date(2026, 1, 9), closure_reason="moved"
        )
    )


def test_closure_needs_a_reason():
    enrollment = f.EnrollmentFactory()
    rejected(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(closure_date=datetime.date(2026, 5, 1)))


def test_enrollment_before_referral_is_rejected():
    rejected(
        lambda: f.EnrollmentFactory(referral_date=datetime.date(2026, 2, 1), enrollment_date=datetime.date(2026, 1, 1))
    )


@pytest.mark.parametrize(
    "duplicate", ["Corner Bakery", "corner  bakery", "The Corner Bakery, Inc.", "CORNER-BAKERY llc"]
)
def test_duplicate_employer_names_in_one_program_are_rejected(duplicate):
    employer = f.EmployerFactory(name="Corner Bakery")
    rejected(lambda: Employer.objects.create(program=employer.program, name=duplicate))


def test_same_employer_name_in_another_program_is_accepted():
    employer = f.EmployerFactory(name="Corner Bakery")
    other = Employer.objects.create(program=f.ProgramFactory(), name="Corner Bakery")
    assert other.normalized_name == employer.normalized_name


def test_specialist_membership_needs_a_program():
    user = f.UserFactory()
    rejected(lambda: Membership.objects.create(user=user, role=Role.SPECIALIST))


def test_trainer_membership_needs_a_region_not_a_program():
    user = f.UserFactory()
    program = f.ProgramFactory()
    rejected(lambda: Membership.objects.create(user=user, role=Role.TRAINER, program=program))


def test_review_with_the_same_reviewer_twice_is_rejected():
    user = f.UserFactory()
    rejected(lambda: f.FidelityReviewFactory(reviewer_1=user, reviewer_2=user))


def test_review_visit_ending_before_it_starts_is_rejected():
    rejected(
        lambda: f.FidelityReviewFactory(visit_start=datetime.date(2026, 5, 5), visit_end=datetime.date(2026, 5, 4))
    )


def test_contact_minutes_beyond_a_day_are_rejected():
    rejected(lambda: f.ContactFactory(minutes=24 * 60 + 1))


def test_every_factory_builds_a_valid_record():
    """Each model's factory saves, so tests elsewhere can rely on them."""
    for factory_class in [
        f.RegionFactory,
        f.AgencyFactory,
        f.ProgramFactory,
        f.TreatmentTeamFactory,
        f.MembershipFactory,
        f.ClientFactory,
        f.EnrollmentFactory,
        f.ContactFactory,
        f.CareerProfileFactory,
        f.WorkHistoryEntryFactory,
        f.EmploymentPlanFactory,
        f.PlanStepFactory,
        f.BenefitsCounselingSessionFactory,
        f.BenefitsThresholdsFactory,
        f.EducationActivityFactory,
        f.EmployerFactory,
        f.EmployerContactFactory,
        f.JobStartFactory,
        f.FollowAlongSupportFactory,
        f.FidelityScaleFactory,
        f.FidelitySectionFactory,
        f.FidelityItemFactory,
        f.FidelityAnchorFactory,
        f.FidelityLevelFactory,
        f.FidelityReviewFactory,
        f.ItemScoreFactory,
        f.ReviewerScoreFactory,
        f.RecommendationFactory,
        f.ActionPlanItemFactory,
        f.ScoreAmendmentFactory,
        f.QuarterlyReportFactory,
        f.AuditEventFactory,
    ]:
        obj = factory_class()
        assert type(obj).objects.filter(pk=obj.pk).exists(), factory_class.__name__
