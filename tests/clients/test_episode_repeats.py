"""A double submit of enroll, close or re-enroll returns the first result (#13.3): one change, one new
episode, one audit entry; never "someone else saved this" about one's own first tap. The forms carry a
submission key (core.idempotency), which also answers a repeat that raced the first on the row lock."""

import pytest
from django.urls import reverse

import core.idempotency
from audit.models import Action, AuditEvent
from clients import services
from clients.models import Enrollment
from core.errors import RuleViolation
from core.locking import EditConflict, version_of

from .. import factories as f
from .support import ago, iso

pytestmark = pytest.mark.django_db

KEY = "9" * 32


def updates(episode):
    return AuditEvent.objects.filter(action=Action.UPDATE, object_type="clients.enrollment", object_id=str(episode.pk))


@pytest.fixture
def pending(program_a):
    return f.EnrollmentFactory(client__program=program_a, referral_date=ago(10), enrollment_date=None)


@pytest.fixture
def closed_client(own_client):
    own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
    return own_client


def enroll_submit(episode, specialist):
    url = reverse("clients:enroll", args=[episode.client_id, episode.pk])
    data = {"enrollment_date": iso(ago(2)), "specialist": specialist.pk, "version": version_of(episode)}
    return url, {**data, "submission_key": KEY}


def close_submit(episode):
    url = reverse("clients:close_enrollment", args=[episode.client_id, episode.pk])
    data = {"closure_date": iso(ago(1)), "closure_reason": "moved", "closure_note": "", "version": version_of(episode)}
    return url, {**data, "submission_key": KEY}


def reenroll_submit(client, specialist):
    url = reverse("clients:reenroll", args=[client.pk])
    return url, {
        "referral_date": iso(ago(1)),
        "enrollment_date": iso(ago(0)),
        "specialist": specialist.pk,
        "submission_key": KEY,
    }


def test_a_repeated_enroll_returns_the_first_result(logged_in, pending, specialist_a):
    url, data = enroll_submit(pending, specialist_a)
    first = logged_in.post(url, data)
    again = logged_in.post(url, data)
    assert first.status_code == again.status_code == 302 and again.url == first.url
    pending.refresh_from_db()
    assert (pending.enrollment_date, pending.specialist) == (ago(2), specialist_a)
    assert updates(pending).count() == 1


def test_a_repeated_close_returns_the_first_result(logged_in, own_client):
    episode = own_client.enrollments.get()
    url, data = close_submit(episode)
    first = logged_in.post(url, data)
    again = logged_in.post(url, data)
    assert first.status_code == again.status_code == 302 and again.url == first.url
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (ago(1), "moved")
    assert updates(episode).count() == 1


def test_a_repeated_reenroll_starts_one_episode(logged_in, closed_client, specialist_a):
    url, data = reenroll_submit(closed_client, specialist_a)
    first = logged_in.post(url, data)
    again = logged_in.post(url, data)
    assert first.status_code == again.status_code == 302 and again.url == first.url
    assert closed_client.enrollments.count() == 2
    assert closed_client.enrollments.filter(closure_date__isnull=True).count() == 1


@pytest.mark.parametrize("what", ["enroll", "close", "reenroll"])
def test_a_repeat_that_raced_the_first_gets_the_first_answer_not_a_refusal(
    logged_in, what, pending, own_client, specialist_a, monkeypatch
):
    """The repeat checked for its key before the first committed, then waited on the row lock (or the
    one-open-episode constraint) and was refused: it answers with the first's result all the same."""
    if what == "enroll":
        url, data = enroll_submit(pending, specialist_a)
    elif what == "close":
        url, data = close_submit(own_client.enrollments.get())
    else:
        own_client.enrollments.update(closure_date=ago(5), closure_reason="declined")
        url, data = reenroll_submit(own_client, specialist_a)
    first = logged_in.post(url, data)
    assert first.status_code == 302
    stored = core.idempotency.stored
    calls = []

    def not_yet_committed(user, key):
        calls.append(key)
        return None if len(calls) == 1 else stored(user, key)

    monkeypatch.setattr(core.idempotency, "stored", not_yet_committed)
    again = logged_in.post(url, data)
    assert (again.status_code, again.url) == (302, first.url)
    assert len(calls) == 2  # the view ran, was refused, and found the first answer
    if what == "reenroll":
        assert Enrollment.objects.filter(client=own_client).count() == 2
    else:
        assert updates(pending if what == "enroll" else own_client.enrollments.get()).count() == 1


def test_without_a_key_the_services_still_refuse_a_second_change(pending, own_client, specialist_a, program_a):
    """What the key spares the user: the services refuse the repeat (one change either way)."""
    opened = version_of(pending)
    services.enroll(pending, user=specialist_a, enrollment_date=ago(2), specialist=specialist_a, version=opened)
    with pytest.raises(EditConflict):
        services.enroll(pending, user=specialist_a, enrollment_date=ago(2), specialist=specialist_a, version=opened)
    episode = own_client.enrollments.get()
    services.close_enrollment(episode, user=specialist_a, closure_date=ago(1), closure_reason="moved")
    with pytest.raises(RuleViolation, match="already closed|closed"):
        services.close_enrollment(episode, user=specialist_a, closure_date=ago(1), closure_reason="moved")
    services.reenroll(own_client, user=specialist_a, referral_date=ago(0))
    with pytest.raises(RuleViolation, match="already has an open enrollment"):
        services.reenroll(own_client, user=specialist_a, referral_date=ago(0))
    assert own_client.enrollments.count() == 2 and updates(pending).count() == 1
