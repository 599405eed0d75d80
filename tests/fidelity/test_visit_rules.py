"""Issue #13 item 6: a review cannot be finalized before its visit has ended (scoring, consensus and the
report may be drafted earlier), and "Submit my scores" goes through a confirmation step."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.errors import RuleViolation
from fidelity import services
from fidelity.models import FidelityReview, ReviewStatus

from .support import complete_review, schedule

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def move_to(time_machine, day):
    time_machine.move_to(
        datetime.datetime.combine(day, datetime.time(10), zoneinfo.ZoneInfo(settings.TIME_ZONE)), tick=True
    )
    assert timezone.localdate() == day


@pytest.fixture
def upcoming(ns):
    """Scored, agreed and reported before its visit (two weeks ahead, two days long): not finalized."""
    visit = timezone.localdate() + 14 * DAY
    return complete_review(ns, 104, visit=visit, finalize=False)


def test_a_review_cannot_be_finalized_before_its_visit_has_ended(ns, upcoming, time_machine):
    assert upcoming.status == ReviewStatus.CONSENSUS  # drafting before the visit is allowed
    with pytest.raises(RuleViolation) as refused:
        services.finalize_review(upcoming, user=ns.trainer1)
    assert any("The visit has not ended" in m for m in refused.value.messages)
    move_to(time_machine, upcoming.visit_end)  # the visit's last day: still under way
    with pytest.raises(RuleViolation):
        services.finalize_review(upcoming, user=ns.trainer1)
    assert FidelityReview.objects.get(pk=upcoming.pk).status != ReviewStatus.FINALIZED
    move_to(time_machine, upcoming.visit_end + DAY)
    services.finalize_review(upcoming, user=ns.trainer1)
    assert FidelityReview.objects.get(pk=upcoming.pk).status == ReviewStatus.FINALIZED


def test_the_finalize_buttons_are_disabled_with_the_reason(client, ns, upcoming):
    client.force_login(ns.trainer1)
    page = client.get(reverse("fidelity:review", args=[upcoming.pk])).content.decode()
    assert "The visit has not ended" in page
    assert 'type="submit" disabled aria-describedby="finalize-problems">Finalize the review' in page
    edit = client.get(reverse("fidelity:report_edit", args=[upcoming.pk])).content.decode()
    assert 'disabled aria-describedby="finalize-wait">Save and finalize' in edit
    response = client.post(reverse("fidelity:finalize", args=[upcoming.pk]), follow=True)
    assert "The visit has not ended" in response.content.decode()
    assert FidelityReview.objects.get(pk=upcoming.pk).status != ReviewStatus.FINALIZED


def test_a_review_whose_visit_has_ended_shows_an_enabled_button(client, ns):
    review = complete_review(ns, 104, visit=timezone.localdate() - 2 * DAY, finalize=False)
    client.force_login(ns.trainer1)
    page = client.get(reverse("fidelity:review", args=[review.pk])).content.decode()
    assert 'type="submit" >Finalize the review' in page
    edit = client.get(reverse("fidelity:report_edit", args=[review.pk])).content.decode()
    assert "finalize-wait" not in edit


def score_post(scores, action):
    data = {"action": action}
    for n, s in enumerate(scores, start=1):
        if s is not None:
            data[f"score_{n}"] = str(s)
        data[f"evidence_{n}"] = f"Seen {n}"
    return data


def test_submit_my_scores_asks_for_confirmation_first(client, ns):
    review = schedule(ns)
    client.force_login(ns.trainer1)
    response = client.post(reverse("fidelity:score", args=[review.pk]), score_post([3] * 25, "submit"))
    confirm = reverse("fidelity:submit_scores", args=[review.pk])
    assert response.url == confirm
    page = client.get(confirm).content.decode()
    assert "Submitting cannot be undone" in page and "Back to my scores" in page
    assert "Yes, submit my scores</button>" in page and "disabled" not in page
    assert FidelityReview.objects.get(pk=review.pk).reviewer_1_submitted_at is None
    assert client.post(confirm).url == reverse("fidelity:review", args=[review.pk])
    assert FidelityReview.objects.get(pk=review.pk).reviewer_1_submitted_at is not None
    assert client.get(confirm).url == reverse("fidelity:score", args=[review.pk])  # nothing left to confirm


def test_the_confirmation_step_refuses_an_incomplete_sheet(client, ns):
    review = schedule(ns)
    services.save_reviewer_scores(
        review, {1: services.ScoreEntry(score=4, evidence="Seen")}, user=ns.trainer1
    )  # a draft of one item
    client.force_login(ns.trainer1)
    confirm = reverse("fidelity:submit_scores", args=[review.pk])
    page = client.get(confirm).content.decode()
    assert "Not scored yet: 2 (" in page and 'disabled aria-describedby="submit-problem"' in page
    response = client.post(confirm, follow=True)
    assert "Not scored yet" in response.content.decode()
    assert FidelityReview.objects.get(pk=review.pk).reviewer_1_submitted_at is None


def test_only_the_reviewers_reach_the_confirmation_step(client, ns):
    review = schedule(ns)
    for user in (ns.trainer3, ns.outsider, ns.supervisor):
        client.force_login(user)
        assert client.get(reverse("fidelity:submit_scores", args=[review.pk])).status_code == 404
        assert client.post(reverse("fidelity:submit_scores", args=[review.pk])).status_code == 404
