"""Reviewers hear of a review scheduled, both scores submitted, a report finalized: after commit only."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Kind, Notification
from tests import factories as f
from tests.fidelity.support import complete_review, schedule, score_and_submit

pytestmark = pytest.mark.django_db


def _kinds(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_scheduling_notifies_both_reviewers(ns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = schedule(ns)
    for reviewer in (ns.trainer1, ns.trainer2):
        note = Notification.objects.get(user=reviewer)
        assert note.kind == Kind.REVIEW_SCHEDULED
        assert note.title == "Fidelity review of Harbor Lights IPS scheduled (May 4, 2026)"
        assert note.link == f"/fidelity/reviews/{review.pk}/"
    assert not Notification.objects.filter(user__in=[ns.trainer3, ns.supervisor]).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ns.trainer1.email, ns.trainer2.email])


def test_a_rolled_back_schedule_notifies_nobody(ns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        schedule(ns)
        raise RuntimeError("the rest of the request failed")
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_scores_submitted_only_when_both_are_in_then_finalized(ns, django_capture_on_commit_callbacks):
    scores = f.scores_for_total(100)
    with django_capture_on_commit_callbacks(execute=True):
        review = schedule(ns)
        score_and_submit(review, ns.trainer1, scores)
    assert _kinds(ns.trainer1) == [Kind.REVIEW_SCHEDULED]
    with django_capture_on_commit_callbacks(execute=True):
        score_and_submit(review, ns.trainer2, scores)
    assert _kinds(ns.trainer1) == [Kind.REVIEW_SCHEDULED, Kind.SCORES_SUBMITTED]
    assert _kinds(ns.trainer2) == [Kind.REVIEW_SCHEDULED, Kind.SCORES_SUBMITTED]


def test_finalized_report(ns, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = complete_review(ns, 100)
    assert _kinds(ns.trainer2) == [Kind.REVIEW_SCHEDULED, Kind.SCORES_SUBMITTED, Kind.REPORT_FINALIZED]
    note = Notification.objects.get(user=ns.trainer2, kind=Kind.REPORT_FINALIZED)
    assert note.title == "Fidelity report for Harbor Lights IPS finalized"
    assert note.link == f"/fidelity/reviews/{review.pk}/report/"
    assert len(mail.outbox) == 6  # three events, two reviewers
