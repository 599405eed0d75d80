"""The fidelity review workflow through its services: schedule, score alone, consensus, report,
finalize, amend, action plan, due dates."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.http import Http404

from benchmarks.models import BenchmarkSettings
from core.errors import RuleViolation
from core.locking import EditConflict
from fidelity import selectors, services
from fidelity.models import (
    FidelityLevel,
    FidelityReview,
    ItemScore,
    ReviewerScore,
    ReviewStatus,
    ReviewType,
    ScoreAmendment,
)
from programs.models import Program

from .. import factories as f
from .support import (
    LEVEL_BOUNDARIES,
    VISIT,
    complete_review,
    entries,
    finalized_stub,
    schedule,
    score_and_submit,
)

pytestmark = pytest.mark.django_db


# -- scheduling --------------------------------------------------------------------------------------------
def test_schedule_creates_an_empty_row_for_each_of_the_25_items(ns):
    review = schedule(ns)
    assert review.status == ReviewStatus.SCHEDULED
    assert ItemScore.objects.filter(review=review, consensus_score__isnull=True).count() == 25


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reviewer_2": "trainer1"}, "different people"),
        ({"reviewer_2": "outsider"}, "trainers of the program's region"),
        ({"reviewer_2": "supervisor"}, "trainers of the program's region"),
        ({"user": "supervisor"}, "cannot schedule"),
    ],
)
def test_schedule_refuses_wrong_reviewers_and_people_outside_the_region(ns, change, message):
    overrides = {key: getattr(ns, value) for key, value in change.items()}
    with pytest.raises(RuleViolation, match=message):
        schedule(ns, **overrides)


def test_services_do_not_reach_another_regions_program(ns):
    """The access layer's answer, as in the views: another region's program or review is not there."""
    with pytest.raises(Http404):
        schedule(ns, user=ns.outsider)
    review = schedule(ns)
    with pytest.raises(Http404):
        services.save_reviewer_scores(review, entries([4] * 25), user=ns.outsider)
    done = complete_review(ns, 104, program=ns.sibling)
    with pytest.raises(Http404):
        services.add_action_item(done, user=ns.other_specialist, description="x", owner="y")


# -- independent scoring -----------------------------------------------------------------------------------
def test_a_draft_saves_partially_and_submit_names_the_missing_items(ns):
    review = schedule(ns)
    scores = [4] * 25
    scores[2] = None  # item 3
    scores[23] = None  # item 24
    services.save_reviewer_scores(review, entries(scores), user=ns.trainer1)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SCORING
    assert ReviewerScore.objects.filter(reviewer=ns.trainer1, score__isnull=False).count() == 23
    with pytest.raises(RuleViolation) as excinfo:
        services.submit_scores(review, user=ns.trainer1)
    assert excinfo.value.items == [3, 24]
    assert "3 (Vocational generalists)" in str(excinfo.value)
    assert "24 (Community-based services)" in str(excinfo.value)
    review.refresh_from_db()
    assert review.reviewer_1_submitted_at is None


def test_saving_again_updates_the_draft_in_place(ns):
    review = schedule(ns)
    services.save_reviewer_scores(review, entries([3] * 25), user=ns.trainer1)
    services.save_reviewer_scores(review, entries([4] * 25, evidence="Second look"), user=ns.trainer1)
    rows = ReviewerScore.objects.filter(reviewer=ns.trainer1)
    assert rows.count() == 25
    assert set(rows.values_list("score", "evidence")) == {(4, "Second look")}


def test_only_assigned_reviewers_score_and_scores_stay_1_to_5(ns):
    review = schedule(ns)
    with pytest.raises(RuleViolation, match="assigned reviewers"):
        services.save_reviewer_scores(review, entries([4] * 25), user=ns.trainer3)
    with pytest.raises(RuleViolation, match="1 to 5"):
        services.save_reviewer_scores(review, {1: services.ScoreEntry(score=6)}, user=ns.trainer1)


def test_the_other_reviewers_scores_are_hidden_until_both_have_submitted(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [5] * 25, evidence="R1 secret note")
    services.save_reviewer_scores(review, entries([2] * 25), user=ns.trainer2)

    rows = selectors.scoring_rows(review, ns.trainer2)
    assert all(row["other"] is None for row in rows)
    assert {row["mine"].score for row in rows} == {2}
    assert all(row["other"] is None for row in selectors.scoring_rows(review, ns.trainer1))

    services.submit_scores(review, user=ns.trainer2)
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONSENSUS
    rows = selectors.scoring_rows(review, ns.trainer2)
    assert {row["other"].score for row in rows} == {5}
    assert rows[0]["other"].evidence == "R1 secret note"


def test_a_submitted_reviewer_cannot_change_their_scores(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    with pytest.raises(RuleViolation, match="already submitted"):
        services.save_reviewer_scores(review, entries([5] * 25), user=ns.trainer1)


# -- consensus ----------------------------------------------------------------------------------------------
def test_consensus_waits_for_both_submissions(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    with pytest.raises(RuleViolation, match="both reviewers have submitted"):
        services.record_consensus(review, {1: (4, "")}, user=ns.trainer1)


def test_consensus_needs_a_rationale_where_reviewers_disagreed(ns):
    review = schedule(ns)
    second = [4] * 25
    second[6] = 2  # item 7
    score_and_submit(review, ns.trainer1, [4] * 25)
    score_and_submit(review, ns.trainer2, second)
    rows = selectors.consensus_rows(review)
    assert [r["item"].number for r in rows if r["disagree"]] == [7]
    with pytest.raises(RuleViolation) as excinfo:
        services.record_consensus(review, {7: (3, ""), 1: (4, "")}, user=ns.trainer2)
    assert excinfo.value.items == [7]
    # Nothing half-saved.
    assert not ItemScore.objects.filter(review=review, consensus_score__isnull=False).exists()
    services.record_consensus(review, {7: (3, "Unit meets but not weekly"), 1: (4, "")}, user=ns.trainer2)
    assert dict(ItemScore.objects.filter(review=review).values_list("item__number", "consensus_score"))[7] == 3


def test_consensus_by_someone_not_assigned_is_refused_but_an_admin_may(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    score_and_submit(review, ns.trainer2, [4] * 25)
    with pytest.raises(RuleViolation, match="assigned reviewers"):
        services.record_consensus(review, {1: (4, "")}, user=ns.trainer3)
    services.record_consensus(review, {1: (4, "")}, user=ns.admin)
    assert ItemScore.objects.get(review=review, item__number=1).consensus_score == 4


def test_consensus_refuses_to_overwrite_a_newer_save(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    score_and_submit(review, ns.trainer2, [4] * 25)
    review.refresh_from_db()
    stale = review.updated_at.isoformat()
    services.record_consensus(review, {1: (4, "")}, user=ns.trainer1, version=stale)
    with pytest.raises(EditConflict):
        services.record_consensus(review, {1: (5, "")}, user=ns.trainer2, version=stale)


# -- finalization ---------------------------------------------------------------------------------------------
def test_finalize_names_items_without_consensus_and_without_recommendations(ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    score_and_submit(review, ns.trainer2, [4] * 25)
    services.record_consensus(review, dict.fromkeys(range(1, 24), (4, "")), user=ns.trainer1)
    with pytest.raises(RuleViolation) as excinfo:
        services.finalize_review(review, user=ns.trainer1)
    text = str(excinfo.value)
    assert "No consensus score: 24 (Community-based services), 25 (Assertive engagement and outreach" in text
    assert "No recommendation in the report for: 1 (Caseload size)" in text
    assert "overall summary" in text
    assert excinfo.value.items == list(range(1, 26))
    review.refresh_from_db()
    assert review.status != ReviewStatus.FINALIZED
    assert review.total_score is None


def test_finalize_names_items_a_reviewer_left_unscored(ns):
    review = schedule(ns)
    services.save_reviewer_scores(review, entries([4] * 24 + [None]), user=ns.trainer1)
    with pytest.raises(RuleViolation) as excinfo:
        services.finalize_review(review, user=ns.trainer1)
    assert "Not scored by both reviewers: 1 (Caseload size)" in str(excinfo.value)
    assert "25 (Assertive engagement" in str(excinfo.value)


@pytest.mark.parametrize(
    ("total", "level"),
    LEVEL_BOUNDARIES,
)
def test_finalized_total_and_level_at_every_boundary(ns, total, level):
    review = complete_review(ns, total)
    assert review.status == ReviewStatus.FINALIZED
    assert review.total_score == total
    assert review.scale.level_for(review.total_score).code == level
    assert selectors.latest_reviews([ns.program])[ns.program.pk].level.code == level


def test_finalized_scores_are_locked(ns):
    review = complete_review(ns, 100)
    for action in (
        lambda: services.save_reviewer_scores(review, entries([5] * 25), user=ns.trainer1),
        lambda: services.record_consensus(review, {1: (5, "")}, user=ns.trainer1),
        lambda: services.save_report(review, user=ns.trainer1, strengths="x", summary="y", recommendations={}),
        lambda: services.finalize_review(review, user=ns.trainer1),
    ):
        with pytest.raises(RuleViolation, match="finalized"):
            action()


def test_report_requires_a_recommendation_for_each_item_below_5(ns):
    review = complete_review(ns, 110, finalize=False)
    below = [i.number for i in services.items_needing_recommendation(review)]
    assert below
    recs = dict.fromkeys(below[1:], "Do better")
    with pytest.raises(RuleViolation) as excinfo:
        services.save_report(review, user=ns.trainer1, strengths="s", summary="y", recommendations=recs)
    assert excinfo.value.items == [below[0]]


# -- amendments -------------------------------------------------------------------------------------------------
def test_an_amendment_changes_the_score_total_and_level_and_is_kept(ns):
    review = complete_review(ns, 100)
    row = ItemScore.objects.get(review=review, item__number=1)
    old = row.consensus_score
    new = old - 1
    with pytest.raises(RuleViolation, match="reason"):
        services.amend_score(review, user=ns.trainer2, item_number=1, new_score=new, reason="  ")
    amendment = services.amend_score(
        review, user=ns.trainer2, item_number=1, new_score=new, reason="Caseload list was incomplete"
    )
    review.refresh_from_db()
    assert review.total_score == 99
    assert review.scale.level_for(review.total_score).code == "fair"
    assert (amendment.old_score, amendment.new_score, amendment.amended_by) == (old, new, ns.trainer2)
    assert ScoreAmendment.objects.filter(item_score__review=review).count() == 1
    report = selectors.report_rows(review)
    assert report[0]["amendments"][0].reason == "Caseload list was incomplete"
    assert report[0]["item_score"].consensus_score == new


def test_amendments_only_on_finalized_reviews_by_reviewers_or_admins(ns):
    draft = complete_review(ns, 100, finalize=False)
    with pytest.raises(RuleViolation, match="Only finalized"):
        services.amend_score(draft, user=ns.trainer1, item_number=1, new_score=1, reason="x")
    services.finalize_review(draft, user=ns.trainer1)
    with pytest.raises(RuleViolation, match="assigned reviewers"):
        services.amend_score(draft, user=ns.trainer3, item_number=1, new_score=1, reason="x")
    services.amend_score(draft, user=ns.admin, item_number=1, new_score=1, reason="Admin correction")
    draft.refresh_from_db()
    assert draft.total_score == 100 - (5 - 1)


# -- action plan ----------------------------------------------------------------------------------------------
def test_the_supervisor_owns_the_action_plan(ns):
    review = complete_review(ns, 104)
    recommendation = review.recommendations.first()
    action = services.add_action_item(
        review,
        user=ns.supervisor,
        description="Weekly group supervision",
        owner="Supervisor",
        recommendation=recommendation,
    )
    services.update_action_item(action, user=ns.supervisor, status="in_progress", progress_note="Started in June")
    action.refresh_from_db()
    assert (action.status, action.progress_note) == ("in_progress", "Started in June")
    for user in (ns.trainer1, ns.specialist):
        with pytest.raises(RuleViolation, match="supervisor"):
            services.add_action_item(review, user=user, description="x", owner="y")
        with pytest.raises(RuleViolation, match="supervisor"):
            services.update_action_item(action, user=user, status="done")


def test_an_action_cannot_point_at_another_reviews_recommendation(ns):
    review = complete_review(ns, 104)
    other = complete_review(ns, 100, program=ns.sibling)
    foreign = other.recommendations.first()
    with pytest.raises(RuleViolation, match="another review"):
        services.add_action_item(review, user=ns.supervisor, description="x", owner="y", recommendation=foreign)
    action = services.add_action_item(review, user=ns.supervisor, description="x", owner="y", status="in_progress")
    assert action.status == "in_progress"
    with pytest.raises(RuleViolation, match="another review"):
        services.update_action_item(action, user=ns.supervisor, recommendation=foreign)


def test_no_action_plan_before_finalization(ns):
    review = complete_review(ns, 104, finalize=False)
    with pytest.raises(RuleViolation):
        services.add_action_item(review, user=ns.supervisor, description="x", owner="y")


# -- due dates -------------------------------------------------------------------------------------------------
def test_next_due_date_is_6_months_until_good_fidelity_then_12():
    assert selectors.next_due_date(None) is None
    fair = f.FidelityReviewFactory.build(visit_start=datetime.date(2026, 1, 31), total_score=99)
    good = f.FidelityReviewFactory.build(visit_start=datetime.date(2026, 1, 31), total_score=100)
    exemplary = f.FidelityReviewFactory.build(visit_start=datetime.date(2026, 1, 31), total_score=120)
    assert selectors.next_due_date(fair) == datetime.date(2026, 7, 31)
    assert selectors.next_due_date(good) == datetime.date(2027, 1, 31)
    assert selectors.next_due_date(exemplary) == datetime.date(2027, 1, 31)


def test_due_intervals_come_from_the_benchmark_settings():
    settings = BenchmarkSettings.current()
    settings.fidelity_interval_new_months = 4
    settings.fidelity_interval_good_months = 9
    settings.save()
    fair = f.FidelityReviewFactory.build(visit_start=datetime.date(2026, 1, 15), total_score=99)
    good = f.FidelityReviewFactory.build(visit_start=datetime.date(2026, 1, 15), total_score=104)
    assert selectors.next_due_date(fair) == datetime.date(2026, 5, 15)
    assert selectors.next_due_date(good) == datetime.date(2026, 10, 15)


def test_good_fidelity_is_the_scales_good_level():
    """Moving the "good" level row moves the due-date rule with it: one definition of good fidelity."""
    scale = f.current_scale()
    FidelityLevel.objects.filter(scale=scale, code="fair").update(max_total=109)
    FidelityLevel.objects.filter(scale=scale, code="good").update(min_total=110)
    review = f.FidelityReviewFactory.build(scale=scale, visit_start=datetime.date(2026, 1, 15), total_score=104)
    assert review.scale.level_for(104).code == "fair" and not scale.is_good(104)
    assert selectors.next_due_date(review) == datetime.date(2026, 7, 15)  # 6 months: no longer good
    review.total_score = 110
    assert selectors.next_due_date(review) == datetime.date(2027, 1, 15)
    assert selectors.good_fidelity_total() == 110


def test_program_rows_flag_overdue_due_and_never_reviewed_programs(ns):
    as_of = datetime.date(2026, 9, 1)
    finalized_stub(ns.program, 92, as_of - relativedelta(months=7))  # fair: due 1 month ago
    finalized_stub(ns.sibling, 104, as_of - relativedelta(months=7))  # good: due in 5 months
    never = f.ProgramFactory(agency__region=ns.region, name="New IPS")
    rows = {r.program.pk: r for r in selectors.program_rows(Program.objects.filter(agency__region=ns.region), as_of)}
    assert rows[ns.program.pk].overdue and rows[ns.program.pk].due_date == datetime.date(2026, 8, 1)
    assert not rows[ns.sibling.pk].overdue and rows[ns.sibling.pk].due_date == datetime.date(2027, 2, 1)
    assert rows[never.pk].due_date is None and rows[never.pk].due_now and rows[never.pk].next_type == "baseline"
    # A scheduled review clears the overdue flag.
    schedule(ns, visit=as_of + datetime.timedelta(days=10))
    rows = {r.program.pk: r for r in selectors.program_rows(Program.objects.filter(pk=ns.program.pk), as_of)}
    assert rows[ns.program.pk].open_review is not None and not rows[ns.program.pk].overdue


def test_program_rows_run_a_bounded_number_of_queries(ns, django_assert_max_num_queries):
    for n in range(6):
        program = f.ProgramFactory(agency__region=ns.region)
        finalized_stub(program, 90 + n, VISIT)
        schedule(ns, program=program, visit=VISIT + datetime.timedelta(days=200))
    with django_assert_max_num_queries(6):
        rows = selectors.program_rows(Program.objects.filter(agency__region=ns.region), VISIT)
        assert [r.latest.level.code for r in rows if r.latest] == ["fair"] * 6


def test_history_compares_items_with_the_previous_review(ns):
    first = complete_review(ns, 90, visit=datetime.date(2025, 10, 1))
    second = complete_review(ns, 100, visit=datetime.date(2026, 4, 1))
    reviews, comparison = selectors.program_history(ns.program)
    assert [r.pk for r in reviews] == [first.pk, second.pk]
    assert [sum(s for _, _, s, _ in r.subtotals) for r in reviews] == [90, 100]
    changes = {c["change"] for c in comparison}
    assert len(comparison) == 25 and changes <= {"improved", "same", "declined"} and "improved" in changes
    expected_first, expected_second = f.scores_for_total(90), f.scores_for_total(100)
    for c, before, after in zip(comparison, expected_first, expected_second, strict=True):
        assert (c["previous"], c["latest"]) == (before, after)


def test_one_external_review_in_progress_per_program(ns):
    first = schedule(ns)
    with pytest.raises(RuleViolation, match="already has a review in progress"):
        schedule(ns, visit=VISIT + relativedelta(months=1))
    # The database refuses it too (a second trainer scheduling at the same moment).
    with pytest.raises(IntegrityError), transaction.atomic():
        FidelityReview.objects.create(
            **{f.name: getattr(first, f.name) for f in FidelityReview._meta.concrete_fields if f.name != "id"}
        )
    # A program's own self-assessment may run alongside; another program is unaffected.
    assert schedule(ns, review_type=ReviewType.SELF_ASSESSMENT).pk
    assert schedule(ns, program=ns.sibling).pk
    # Once the program's review is finalized, the next one can be scheduled.
    FidelityReview.objects.filter(pk=first.pk).update(
        status=ReviewStatus.FINALIZED, total_score=100, finalized_at=first.created_at
    )
    assert schedule(ns, visit=VISIT + relativedelta(months=6)).pk
