"""factory_boy factories for every model. Synthetic data only."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from audit.models import Action, AuditEvent
from benchmarks.models import BenefitsThresholds
from clients import models as cm
from fidelity import models as fm
from fidelity.scale_loader import IPS25_FILE, load_scale
from jobs import models as jm
from programs import models as pm
from reports import models as rm

TODAY = datetime.date(2026, 6, 15)
PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Testfirst{n}")
    last_name = factory.Sequence(lambda n: f"Testlast{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Region

    name = factory.Sequence(lambda n: f"Test Region {n}")
    code = factory.Sequence(lambda n: f"R{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Agency

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Test Agency {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Program

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Test Program {n}")
    code = factory.Sequence(lambda n: f"program-{n}")
    started_on = datetime.date(2024, 1, 1)


class TreatmentTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.TreatmentTeam

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Membership

    user = factory.SubFactory(UserFactory)
    role = pm.Role.SPECIALIST
    program = factory.SubFactory(ProgramFactory)
    region = None
    start_date = datetime.date(2020, 1, 1)


# Memberships of test users start before any test data, so every quarter a test looks at counts them.
STAFF_SINCE = datetime.date(2020, 1, 1)


def make_user(role, *, program=None, region=None, start_date=STAFF_SINCE, **user_kwargs):
    """A user holding one role: program roles need `program`, trainers `region`."""
    user = UserFactory(**user_kwargs)
    pm.Membership.objects.create(user=user, role=role, program=program, region=region, start_date=start_date)
    return user


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Client

    program = factory.SubFactory(ProgramFactory)
    record_number = factory.Sequence(lambda n: f"C{n:05d}")
    first_name = factory.Sequence(lambda n: f"Clientfirst{n}")
    last_name = factory.Sequence(lambda n: f"Clientlast{n}")
    date_of_birth = datetime.date(1990, 5, 17)
    diagnosis_group = cm.DiagnosisGroup.BIPOLAR


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Enrollment

    client = factory.SubFactory(ClientFactory)
    referral_date = factory.LazyAttribute(lambda e: (e.enrollment_date or TODAY) - datetime.timedelta(days=7))
    enrollment_date = datetime.date(2026, 1, 10)
    specialist = None


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Contact

    client = factory.SubFactory(ClientFactory)
    staff = factory.SubFactory(UserFactory)
    contact_date = TODAY
    with_whom = cm.ContactWith.CLIENT
    mode = cm.ContactMode.FACE_TO_FACE
    place = cm.ContactPlace.COMMUNITY
    minutes = 30


class CareerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CareerProfile

    client = factory.SubFactory(ClientFactory)
    work_goals = "Part-time work in a kitchen"


class WorkHistoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.WorkHistoryEntry

    profile = factory.SubFactory(CareerProfileFactory)
    employer_name = "Sample Diner"
    job_title = "Dishwasher"
    start_date = datetime.date(2020, 1, 1)
    end_date = datetime.date(2020, 6, 1)


class EmploymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.EmploymentPlan

    client = factory.SubFactory(ClientFactory)
    goal = "Find a part-time job in retail"
    start_date = datetime.date(2026, 2, 1)


class PlanStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.PlanStep

    plan = factory.SubFactory(EmploymentPlanFactory)
    description = "Visit three stores with the specialist"
    target_date = datetime.date(2026, 3, 1)


class BenefitsCounselingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.BenefitsCounselingSession

    client = factory.SubFactory(ClientFactory)
    session_date = datetime.date(2026, 2, 15)
    counselor_name = "Test Planner"
    benefits_held = [cm.Benefit.SSI, cm.Benefit.MEDICAID]
    work_incentives_discussed = [cm.WorkIncentive.SSI_EIE]


class BenefitsThresholdsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenefitsThresholds
        django_get_or_create = ["year"]

    year = 2030
    sga_monthly_non_blind = Decimal("1700")
    sga_monthly_blind = Decimal("2800")
    trial_work_month = Decimal("1200")
    ssi_federal_benefit_rate = Decimal("1000")


class EducationActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.EducationActivity

    client = factory.SubFactory(ClientFactory)
    institution = "Test Community College"
    start_date = datetime.date(2026, 1, 20)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = jm.Employer

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Sample Employer {n}")


class EmployerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = jm.EmployerContact
        skip_postgeneration_save = True

    employer = factory.SubFactory(EmployerFactory)
    specialist = factory.SubFactory(UserFactory)
    contact_date = TODAY
    face_to_face = True

    @factory.post_generation
    def clients(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.clients.set(extracted)


class JobStartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = jm.JobStart

    client = factory.SubFactory(ClientFactory)
    employer = factory.SubFactory(EmployerFactory, program=factory.SelfAttribute("..client.program"))
    job_title = "Stock clerk"
    occupation_group = jm.OccupationGroup.TRANSPORTATION
    start_date = datetime.date(2026, 3, 2)
    hours_per_week = Decimal("20")
    hourly_wage = Decimal("15.50")


class FollowAlongSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = jm.FollowAlongSupport

    job = factory.SubFactory(JobStartFactory)
    support_date = factory.LazyAttribute(lambda s: s.job.start_date + datetime.timedelta(days=2))
    description = "Check-in after the first shifts"


def current_scale():
    """The IPS-25 scale from the data migration; reloaded after a transactional test flushed it."""
    scale = fm.FidelityScale.objects.filter(is_current=True).first()
    if scale is None:
        scale = load_scale(
            IPS25_FILE,
            Scale=fm.FidelityScale,
            Section=fm.FidelitySection,
            Item=fm.FidelityItem,
            Anchor=fm.FidelityAnchor,
            Level=fm.FidelityLevel,
        )
    return scale


class FidelityScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelityScale

    version = factory.Sequence(lambda n: f"Test scale {n}")
    name = "Test scale"
    is_current = False


class FidelitySectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelitySection

    scale = factory.SubFactory(FidelityScaleFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "Section"


class FidelityItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelityItem

    section = factory.SubFactory(FidelitySectionFactory)
    scale = factory.SelfAttribute("section.scale")
    number = factory.Sequence(lambda n: n + 1)
    title = "Item"
    description = "What the item measures"


class FidelityAnchorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelityAnchor

    item = factory.SubFactory(FidelityItemFactory)
    score = 5
    text = "Best practice"


class FidelityLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelityLevel

    scale = factory.SubFactory(FidelityScaleFactory)
    code = factory.Sequence(lambda n: f"level-{n}")
    name = "Level"
    min_total = 25
    max_total = 125


class FidelityReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.FidelityReview

    program = factory.SubFactory(ProgramFactory)
    scale = factory.LazyFunction(current_scale)
    review_type = fm.ReviewType.FOLLOW_UP
    visit_start = datetime.date(2026, 5, 4)
    visit_end = datetime.date(2026, 5, 5)
    period_start = datetime.date(2025, 11, 1)
    period_end = datetime.date(2026, 4, 30)
    reviewer_1 = factory.SubFactory(UserFactory)
    reviewer_2 = factory.SubFactory(UserFactory)


class ItemScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.ItemScore

    review = factory.SubFactory(FidelityReviewFactory)
    item = factory.LazyAttribute(lambda s: s.review.scale.items.order_by("number").first())
    consensus_score = 4


class ReviewerScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.ReviewerScore

    item_score = factory.SubFactory(ItemScoreFactory)
    reviewer = factory.LazyAttribute(lambda s: s.item_score.review.reviewer_1)
    score = 4


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.Recommendation

    review = factory.SubFactory(FidelityReviewFactory)
    text = "Hold weekly group supervision"


class ActionPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.ActionPlanItem

    review = factory.SubFactory(FidelityReviewFactory)
    description = "Start weekly group supervision"
    owner = "Supervisor"
    due_date = datetime.date(2026, 9, 1)


class ScoreAmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.ScoreAmendment

    item_score = factory.SubFactory(ItemScoreFactory)
    old_score = 3
    new_score = 4
    reason = "Chart review found the missing employer log"
    amended_by = factory.SubFactory(UserFactory)


def score_review(review, scores):
    """Give `review` a consensus score for every item of its scale; `scores` is a list in item order
    (or one int for all)."""
    items = list(review.scale.items.order_by("number"))
    if isinstance(scores, int):
        scores = [scores] * len(items)
    fm.ItemScore.objects.bulk_create(
        fm.ItemScore(review=review, item=item, consensus_score=score) for item, score in zip(items, scores, strict=True)
    )
    return review


def scores_for_total(total, items=25):
    """A list of `items` scores from 1-5 that add up to `total`."""
    assert items <= total <= items * 5
    base, extra = divmod(total - items, 4)
    return [5] * base + ([1 + extra] if base < items else []) + [1] * (items - base - 1)


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.QuarterlyReport

    program = factory.SubFactory(ProgramFactory)
    year = 2026
    quarter = 1


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    user = factory.SubFactory(UserFactory)
    username = factory.LazyAttribute(lambda e: e.user.username)
    action = Action.VIEW
    at = factory.LazyFunction(timezone.now)
