"""Fidelity reviews through the API: the region's reviewers read any state, program staff only
finalized reviews of their program; an assigned reviewer scores through fidelity.services and the
other reviewer's scores stay hidden until both have submitted."""

import datetime

import pytest
from django.utils import timezone

from audit.models import Action, AuditEvent
from fidelity import services
from fidelity.models import ReviewerScore, ReviewStatus, ReviewType
from programs.models import Role

from .. import factories as f

pytestmark = pytest.mark.django_db
VISIT = datetime.date(2026, 5, 4)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def second_trainer(region):
    return f.make_user(Role.TRAINER, region=region, username="trainer_r2")


@pytest.fixture
def review(program_a, trainer, second_trainer):
    return services.schedule_review(
        user=trainer,
        program=program_a,
        review_type=ReviewType.FOLLOW_UP,
        visit_start=VISIT,
        visit_end=VISIT + DAY,
        period_start=VISIT - 182 * DAY,
        period_end=VISIT - DAY,
        reviewer_1=trainer,
        reviewer_2=second_trainer,
    )


def all_items(review, score=4):
    numbers = review.scale.items.values_list("number", flat=True)
    return [
        {"item": n, "score": score, "evidence": "Seen in charts", "data_sources": ["chart_review"]} for n in numbers
    ]


def scores_url(review):
    return f"/api/v1/fidelity-reviews/{review.pk}/scores/"


def reviewer_scores(body):
    return {rs["reviewer"] for row in body["item_scores"] for rs in row["reviewer_scores"]}


def test_scores_stay_hidden_until_both_reviewers_submit(api_as, review, trainer, second_trainer):
    first, second = api_as(trainer), api_as(second_trainer)
    saved = first.post(scores_url(review), {"scores": all_items(review), "submit": True}, format="json")
    assert saved.status_code == 200, saved.content
    assert reviewer_scores(saved.json()) == {trainer.pk}
    # The second reviewer sees neither their own (none yet) nor the first reviewer's.
    assert reviewer_scores(second.get(f"/api/v1/fidelity-reviews/{review.pk}/").json()) == set()
    draft = second.post(scores_url(review), {"scores": all_items(review, 3)[:2]}, format="json")
    assert reviewer_scores(draft.json()) == {second_trainer.pk}
    done = second.post(scores_url(review), {"scores": all_items(review, 3), "submit": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == ReviewStatus.CONSENSUS
    assert reviewer_scores(done.json()) == {trainer.pk, second_trainer.pk}
    # One entry per step, written by the fidelity services (the API adds none of its own).
    steps = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="fidelity.fidelityreview", user=trainer
    ).values_list("detail__step", flat=True)
    assert sorted(steps) == ["score", "submit"]


def test_submitting_an_incomplete_sheet_is_refused_but_the_draft_is_kept(api_as, review, trainer):
    response = api_as(trainer).post(
        scores_url(review), {"scores": all_items(review)[:3], "submit": True}, format="json"
    )
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.reviewer_1_submitted_at is None
    assert ReviewerScore.objects.filter(reviewer=trainer, score=4).count() == 3


@pytest.mark.parametrize("bad", [{"item": 1, "score": 9}, {"item": 1, "data_sources": ["gossip"]}, {"score": 3}])
def test_bad_scores_are_field_errors(api_as, review, trainer, bad):
    response = api_as(trainer).post(scores_url(review), {"scores": [bad]}, format="json")
    assert response.status_code == 400 and "scores" in response.json()
    assert not ReviewerScore.objects.exists()


def test_only_the_assigned_reviewers_score(api_as, review, region, specialist_a, api_a):
    third = f.make_user(Role.TRAINER, region=region, username="trainer_r3")
    assert api_as(third).post(scores_url(review), {"scores": all_items(review)}, format="json").status_code == 404
    assert api_a.post(scores_url(review), {"scores": all_items(review)}, format="json").status_code == 403
    assert not ReviewerScore.objects.exists()


def test_program_staff_see_only_finalized_reviews(api_a, api_as, review, trainer, program_a):
    finalized = f.FidelityReviewFactory(
        program=program_a,
        status=ReviewStatus.FINALIZED,
        total_score=101,
        finalized_at=timezone.now(),
        visit_start=VISIT - 400 * DAY,
        visit_end=VISIT - 399 * DAY,
    )
    listed = [row["id"] for row in api_a.get("/api/v1/fidelity-reviews/").json()["results"]]
    assert listed == [finalized.pk]
    assert api_a.get(f"/api/v1/fidelity-reviews/{review.pk}/").status_code == 404
    # The region's reviewers see both, and filter by status.
    mine = api_as(trainer).get("/api/v1/fidelity-reviews/", {"status": ReviewStatus.SCHEDULED}).json()["results"]
    assert [row["id"] for row in mine] == [review.pk]


def test_another_regions_trainer_gets_404(api_as, review, program_b):
    outsider = f.make_user(Role.TRAINER, region=program_b.agency.region, username="trainer_far")
    api = api_as(outsider)
    assert api.get(f"/api/v1/fidelity-reviews/{review.pk}/").status_code == 404
    assert api.post(scores_url(review), {"scores": all_items(review)}, format="json").status_code == 404
    assert api.get("/api/v1/fidelity-reviews/").json()["results"] == []


def test_a_stale_sheet_from_another_device_is_refused(api_as, review, trainer):
    """The same reviewer on two devices: the one that read the sheet before the other's save is refused."""
    laptop = api_as(trainer)
    first = laptop.post(scores_url(review), {"scores": all_items(review, 4), "version": ""}, format="json")
    assert first.status_code == 200, first.content
    fresh = first["Sheet-Version"]
    assert fresh
    # The phone still holds the empty sheet's version.
    stale = laptop.post(scores_url(review), {"scores": all_items(review, 1)[:1], "version": ""}, format="json")
    assert stale.status_code in (409, 412), stale.content
    kept = laptop.get(f"/api/v1/fidelity-reviews/{review.pk}/").json()
    assert {rs["score"] for row in kept["item_scores"] for rs in row["reviewer_scores"]} == {4}
    again = laptop.post(scores_url(review), {"scores": all_items(review, 5)[:1], "version": fresh}, format="json")
    assert again.status_code == 200 and again["Sheet-Version"] != fresh
