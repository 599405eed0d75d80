"""Issue #18: the fidelity services write their audit entry inside their own transaction. When the entry
cannot be written nothing is saved; when it can, it names the acting user without a request."""

import datetime

import pytest
from django.db import DatabaseError

from audit.models import Action, AuditEvent
from fidelity import services
from fidelity.models import ActionPlanItem, FidelityReview, ReviewerScore, ReviewStatus, ScoreAmendment

from .support import complete_review, entries, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", refuse)


def test_a_review_is_not_scheduled_without_its_audit_entry(ns, audit_down):
    with pytest.raises(DatabaseError):
        schedule(ns)
    assert not FidelityReview.objects.exists()


def test_scores_are_not_saved_or_submitted_without_their_audit_entry(ns, monkeypatch):
    review = schedule(ns)
    services.save_reviewer_scores(review, entries([4] * 25), user=ns.trainer1)
    monkeypatch.setattr(AuditEvent, "save", lambda self, *a, **k: (_ for _ in ()).throw(DatabaseError("down")))
    with pytest.raises(DatabaseError):
        services.save_reviewer_scores(review, entries([2] * 25), user=ns.trainer1)
    assert not ReviewerScore.objects.filter(score=2).exists()
    with pytest.raises(DatabaseError):
        services.submit_scores(review, user=ns.trainer1)
    assert FidelityReview.objects.get(pk=review.pk).reviewer_1_submitted_at is None


def test_finalizing_amending_and_the_action_plan_roll_back_without_the_audit_entry(ns, monkeypatch):
    draft = complete_review(ns, 104, visit=datetime.date(2026, 4, 1), finalize=False)

    def refuse(self, *args, **kwargs):
        raise DatabaseError("audit table unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(AuditEvent, "save", refuse)
        with pytest.raises(DatabaseError):
            services.finalize_review(draft, user=ns.trainer1)
    assert FidelityReview.objects.get(pk=draft.pk).status != ReviewStatus.FINALIZED
    review = services.finalize_review(draft, user=ns.trainer1)
    item = review.item_scores.filter(consensus_score__lt=5).select_related("item").first().item
    monkeypatch.setattr(AuditEvent, "save", refuse)
    with pytest.raises(DatabaseError):
        services.amend_score(review, user=ns.trainer1, item_number=item.number, new_score=5, reason="Recount")
    assert not ScoreAmendment.objects.exists()
    assert FidelityReview.objects.get(pk=review.pk).total_score == 104
    with pytest.raises(DatabaseError):
        services.add_action_item(review, user=ns.supervisor, description="Weekly job development", owner="Team")
    assert not ActionPlanItem.objects.exists()


def test_each_write_is_audited_once_with_its_step_and_user(ns):
    review = complete_review(ns, 104, visit=datetime.date(2026, 4, 1))
    events = AuditEvent.objects.filter(object_id=str(review.pk), object_type="fidelity.fidelityreview")
    steps = [(e.action, e.detail.get("step"), e.username) for e in events]
    assert sorted(steps) == sorted(
        [
            (Action.CREATE, "schedule", ns.trainer1.username),
            (Action.UPDATE, "score", ns.trainer1.username),
            (Action.UPDATE, "submit", ns.trainer1.username),
            (Action.UPDATE, "score", ns.trainer2.username),
            (Action.UPDATE, "submit", ns.trainer2.username),
            (Action.UPDATE, "consensus", ns.trainer1.username),
            (Action.UPDATE, "report", ns.trainer1.username),
            (Action.UPDATE, "finalize", ns.trainer1.username),
        ]
    )
    action = services.add_action_item(review, user=ns.supervisor, description="Weekly job development", owner="Team")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(action.pk), user=ns.supervisor).count() == 1
