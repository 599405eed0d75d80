"""Fidelity pages: the workflow through HTTP, access (404 outside), audit, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from fidelity import services
from fidelity.models import ActionPlanItem, FidelityReview, ItemScore, ReviewStatus

from .. import factories as f
from .support import VISIT, complete_review, schedule, score_and_submit

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def score_post(scores, action="save", evidence="Observed", version=""):
    data = {"action": action, "version": version}
    for n, s in enumerate(scores, start=1):
        if s is not None:
            data[f"score_{n}"] = str(s)
        data[f"evidence_{n}"] = f"{evidence} {n}"
        data[f"sources_{n}"] = ["interviews", "program_data"]
    return data


# -- lists -------------------------------------------------------------------------------------------------
def test_trainer_sees_due_programs_of_the_region_only(client, ns):
    login(client, ns.trainer1)
    response = client.get(reverse("fidelity:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Harbor Lights IPS" in body and "Sibling IPS" in body
    assert "Faraway IPS" not in body
    assert "Baseline review due now" in body


def test_program_staff_are_sent_to_the_reports_list_and_see_only_finalized_reviews(client, ns):
    done = complete_review(ns, 104)
    schedule(ns, visit=VISIT + datetime.timedelta(days=180))
    login(client, ns.specialist)
    response = client.get(reverse("fidelity:index"))
    assert response.status_code == 302 and response.url == reverse("fidelity:reports")
    body = client.get(reverse("fidelity:reports")).content.decode()
    assert reverse("fidelity:report", args=[done.pk]) in body
    assert body.count("/fidelity/reviews/") == 1


def test_nav_shows_fidelity_for_trainers_and_reports_for_staff(client, ns):
    login(client, ns.trainer1)
    assert ">Fidelity</a>" in client.get(reverse("home")).content.decode()
    login(client, ns.supervisor)
    assert ">Fidelity reports</a>" in client.get(reverse("home")).content.decode()


# -- the workflow by HTTP ----------------------------------------------------------------------------------
def schedule_post(ns, **changes):
    return {
        "program": ns.program.pk,
        "review_type": "baseline",
        "visit_start": "2026-05-04",
        "visit_end": "2026-05-05",
        "period_start": "2025-11-01",
        "period_end": "2026-04-30",
        "reviewer_1": ns.trainer1.pk,
        "reviewer_2": ns.trainer2.pk,
        **changes,
    }


def test_schedule_form_creates_a_review_and_keeps_input_on_errors(client, ns):
    login(client, ns.trainer1)
    data = schedule_post(ns, reviewer_2=ns.trainer1.pk)
    response = client.post(reverse("fidelity:schedule"), data)
    assert response.status_code == 200
    assert "Choose a different person" in response.content.decode()
    assert 'value="2025-11-01"' in response.content.decode()
    assert not FidelityReview.objects.exists()
    data["reviewer_2"] = ns.trainer2.pk
    response = client.post(reverse("fidelity:schedule"), data)
    review = FidelityReview.objects.get()
    assert response.url == reverse("fidelity:review", args=[review.pk])
    assert (review.review_type, review.reviewer_2) == ("baseline", ns.trainer2)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(review.pk)).exists()


def test_schedule_refuses_a_program_or_reviewer_of_another_region(client, ns):
    login(client, ns.trainer1)
    data = schedule_post(ns, program=ns.other_program.pk, reviewer_2=ns.outsider.pk)
    response = client.post(reverse("fidelity:schedule"), data)
    assert response.status_code == 200
    assert not FidelityReview.objects.exists()


def test_scoring_page_saves_drafts_and_submit_names_missing_items(client, ns):
    review = schedule(ns)
    login(client, ns.trainer1)
    page = client.get(reverse("fidelity:score", args=[review.pk])).content.decode()
    assert "5 — Employment specialists serve 20 or fewer clients each" in page
    assert "Chart review" in page
    scores = [4] * 25
    scores[4] = None
    response = client.post(reverse("fidelity:score", args=[review.pk]), score_post(scores, "submit"), follow=True)
    body = response.content.decode()
    assert "Not scored yet: 5 (Integration of rehabilitation with mental health treatment through frequent" in body
    review.refresh_from_db()
    assert review.reviewer_1_submitted_at is None
    assert ItemScore.objects.filter(review=review, reviewer_scores__score=4).count() == 24
    version = client.get(reverse("fidelity:score", args=[review.pk])).context["form"]["version"].value()
    response = client.post(reverse("fidelity:score", args=[review.pk]), score_post([4] * 25, "submit", version=version))
    assert response.url == reverse("fidelity:submit_scores", args=[review.pk])  # asks first
    review.refresh_from_db()
    assert review.reviewer_1_submitted_at is None
    client.post(response.url)
    review.refresh_from_db()
    assert review.reviewer_1_submitted_at is not None
    response = client.post(reverse("fidelity:score", args=[review.pk]), score_post([2] * 25, "save"), follow=True)
    assert "can no longer change" in response.content.decode()
    assert not ItemScore.objects.filter(review=review, reviewer_scores__score=2).exists()


def test_scoring_page_hides_the_other_reviewers_scores_until_both_submit(client, ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [5] * 25, evidence="Only-R1-knows-this")
    login(client, ns.trainer2)
    url = reverse("fidelity:score", args=[review.pk])
    assert "Only-R1-knows-this" not in client.get(url).content.decode()
    client.post(url, score_post([3] * 25, "save"))
    assert "Only-R1-knows-this" not in client.get(url).content.decode()
    client.post(url, score_post([3] * 25, "submit", version=client.get(url).context["form"]["version"].value()))
    assert "Only-R1-knows-this" not in client.get(url).content.decode()  # not before the confirmation
    client.post(reverse("fidelity:submit_scores", args=[review.pk]))
    assert "Only-R1-knows-this" in client.get(url).content.decode()


def test_unassigned_trainer_and_outsiders_get_404_on_scoring(client, ns):
    review = schedule(ns)
    url = reverse("fidelity:score", args=[review.pk])
    for user in (ns.trainer3, ns.outsider, ns.supervisor, ns.specialist):
        login(client, user)
        assert client.get(url).status_code == 404
        assert client.post(url, score_post([4] * 25)).status_code == 404
    assert not ItemScore.objects.filter(review=review, reviewer_scores__isnull=False).exists()


def test_consensus_report_finalize_by_http(client, ns):
    review = schedule(ns)
    scores = f.scores_for_total(104)
    other = list(scores)
    other[0] = 1 if scores[0] != 1 else 2
    score_and_submit(review, ns.trainer1, scores)
    score_and_submit(review, ns.trainer2, other)
    login(client, ns.trainer2)
    url = reverse("fidelity:consensus", args=[review.pk])
    page = client.get(url).content.decode()
    assert "fidelity-disagree" in page and "Differ by" in page
    assert "Program data:" in page  # the evidence figures sit next to the items they inform
    version = FidelityReview.objects.get(pk=review.pk).updated_at.isoformat()
    data = {"version": version, "action": "report"}
    for n, s in enumerate(scores, start=1):
        data[f"score_{n}"] = str(s)
        data[f"rationale_{n}"] = ""
    response = client.post(url, data, follow=True)
    assert "Give the rationale" in response.content.decode()
    data["rationale_1"] = "Agreed after the caseload list"
    response = client.post(url, data)
    assert response.url == reverse("fidelity:report_edit", args=[review.pk])
    edit = client.get(response.url).content.decode()
    assert "Write a recommendation" not in edit and "rec_" in edit
    below = [n for n, s in enumerate(scores, start=1) if s < 5]
    report = {
        "version": FidelityReview.objects.get(pk=review.pk).updated_at.isoformat(),
        "strengths": "Good employer network",
        "summary": "A good program.",
        "action": "finalize",
    }
    response = client.post(reverse("fidelity:report_edit", args=[review.pk]), report)
    assert response.status_code == 200
    assert f"Write a recommendation for item {below[0]}" in response.content.decode()
    assert "Good employer network" in response.content.decode()
    report.update({f"rec_{n}": f"Recommendation {n}" for n in below})
    response = client.post(reverse("fidelity:report_edit", args=[review.pk]), report)
    assert response.url == reverse("fidelity:report", args=[review.pk])
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINALIZED and review.total_score == 104
    body = client.get(response.url).content.decode()
    assert "Good fidelity" in body and "104" in body and "Recommendation" in body


def test_finalize_button_reports_the_missing_items(client, ns):
    review = schedule(ns)
    login(client, ns.trainer1)
    response = client.post(reverse("fidelity:finalize", args=[review.pk]), follow=True)
    body = response.content.decode()
    assert "cannot be finalized" in body and "1 (Caseload size)" in body
    review.refresh_from_db()
    assert review.status != ReviewStatus.FINALIZED


def test_amendment_page_updates_the_total_and_shows_it_on_the_report(client, ns):
    review = complete_review(ns, 100)
    login(client, ns.trainer1)
    url = reverse("fidelity:amend", args=[review.pk])
    response = client.post(url, {"item_number": 1, "new_score": 4, "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"item_number": 1, "new_score": 4, "reason": "Caseload recount"})
    assert response.url == reverse("fidelity:report", args=[review.pk])
    body = client.get(response.url).content.decode()
    assert "Caseload recount" in body and "99" in body and "Fair fidelity" in body
    history = client.get(reverse("fidelity:history", args=[ns.program.code])).content.decode()
    assert "1 score amendment after finalization" in history and "<strong>99</strong>" in history
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="fidelity.scoreamendment").exists()


# -- reading the report, action plan ----------------------------------------------------------------------------
def test_report_visibility_by_role(client, ns):
    review = complete_review(ns, 104)
    draft = schedule(ns, visit=VISIT + datetime.timedelta(days=180))
    report, draft_report = reverse("fidelity:report", args=[review.pk]), reverse("fidelity:report", args=[draft.pk])
    for user in (ns.trainer3, ns.supervisor, ns.specialist, ns.admin):
        login(client, user)
        assert client.get(report).status_code == 200, user
    for user in (ns.outsider, ns.other_specialist):
        login(client, user)
        assert client.get(report).status_code == 404, user
        assert client.get(reverse("fidelity:report_pdf", args=[review.pk])).status_code == 404
        assert client.get(reverse("fidelity:history", args=[ns.program.code])).status_code == 404
    for user in (ns.supervisor, ns.specialist):
        login(client, user)
        assert client.get(draft_report).status_code == 404
        assert client.get(reverse("fidelity:review", args=[draft.pk])).status_code == 404
        assert client.get(reverse("fidelity:consensus", args=[review.pk])).status_code == 404
        assert client.get(reverse("fidelity:amend", args=[review.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(review.pk)).count() >= 4


@pytest.mark.parametrize("name", ["review", "score", "consensus", "report_edit", "report", "amend", "action_plan"])
def test_another_regions_trainer_gets_404_on_every_review_page(client, ns, name):
    review = complete_review(ns, 104)
    login(client, ns.outsider)
    assert client.get(reverse(f"fidelity:{name}", args=[review.pk])).status_code == 404
    assert client.post(reverse("fidelity:finalize", args=[review.pk])).status_code == 404


def test_supervisor_adds_and_updates_actions_and_the_trainer_sees_progress(client, ns):
    review = complete_review(ns, 104)
    url = reverse("fidelity:action_plan", args=[review.pk])
    login(client, ns.supervisor)
    response = client.post(
        url, {"description": "Weekly group supervision", "owner": "Sam Supervisor", "status": "open", "due_date": ""}
    )
    assert response.status_code == 302
    action = ActionPlanItem.objects.get()
    edit = reverse("fidelity:action_edit", args=[review.pk, action.pk])
    form = client.get(edit).content.decode()
    assert "Weekly group supervision" in form
    data = {
        "description": action.description,
        "owner": action.owner,
        "status": "in_progress",
        "progress_note": "Two sessions held",
        "due_date": "2026-09-01",
        "version": action.updated_at.isoformat(),
    }
    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "progress_note": "Overwrite"})
    assert stale.status_code == 200 and "Someone else saved" in stale.content.decode()
    login(client, ns.trainer1)
    body = client.get(url).content.decode()
    assert "Two sessions held" in body and "In progress" in body
    assert "0/1 done" in client.get(reverse("fidelity:regional")).content.decode()
    assert client.get(edit).status_code == 404
    assert client.post(url, {"description": "x", "owner": "y", "status": "open"}).status_code == 404
    login(client, ns.specialist)
    assert client.get(url).status_code == 200
    assert client.get(edit).status_code == 404
    assert ActionPlanItem.objects.count() == 1


def test_history_and_regional_pages(client, ns):
    complete_review(ns, 92, visit=datetime.date(2025, 10, 1))
    complete_review(ns, 104, visit=datetime.date(2026, 4, 1))
    login(client, ns.trainer1)
    body = client.get(reverse("fidelity:history", args=[ns.program.code])).content.decode()
    assert "fidelity-history-data" in body and "improved" in body
    assert "Good fidelity" in body and "Fair fidelity" in body
    regional = client.get(reverse("fidelity:regional")).content.decode()
    assert "Harbor Lights IPS" in regional and "<svg" in regional and "Faraway IPS" not in regional
    login(client, ns.specialist)
    assert client.get(reverse("fidelity:regional")).status_code == 404
    assert client.get(reverse("fidelity:history", args=[ns.program.code])).status_code == 200
    assert client.get(reverse("fidelity:history", args=[ns.sibling.code])).status_code == 404


# -- bounded queries ----------------------------------------------------------------------------------------------
def test_scoring_and_report_pages_run_a_bounded_number_of_queries(client, ns, django_assert_max_num_queries):
    review = complete_review(ns, 104)
    for n in range(3):
        services.add_action_item(review, user=ns.supervisor, description=f"Action {n}", owner="Supervisor")
    fresh = schedule(ns, visit=VISIT + datetime.timedelta(days=200))
    services.save_reviewer_scores(fresh, {n: services.ScoreEntry(score=4) for n in range(1, 26)}, user=ns.trainer1)
    login(client, ns.trainer1)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("fidelity:score", args=[fresh.pk])).status_code == 200
    for name in ("index", "regional", "reports"):
        with django_assert_max_num_queries(16):
            assert client.get(reverse(f"fidelity:{name}")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("fidelity:report", args=[review.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("fidelity:consensus", args=[review.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fidelity:history", args=[ns.program.code])).status_code == 200


def test_consensus_over_a_newer_save_shows_both_versions_and_why(client, ns):
    review = schedule(ns)
    score_and_submit(review, ns.trainer1, [4] * 25)
    score_and_submit(review, ns.trainer2, [4] * 25)
    stale = FidelityReview.objects.get(pk=review.pk).updated_at.isoformat()
    services.record_consensus(review, {1: (3, "Agreed on the caseload list")}, user=ns.trainer1)  # saved first
    login(client, ns.trainer2)
    response = client.post(
        reverse("fidelity:consensus", args=[review.pk]), {"version": stale, "score_1": "5", "rationale_1": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved the consensus" in body and "[&#x27;" not in body  # the message, not a list's repr
    assert "Agreed on the caseload list" in body  # their saved version, beside...
    assert 'value="5" selected' in body  # ...this reviewer's input, kept in the form
    assert ItemScore.objects.get(review=review, item__number=1).consensus_score == 3
