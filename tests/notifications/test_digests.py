"""The digest tasks, run eagerly through Celery: who gets which e-mail, with counts worked out by hand
in conftest.py, and never a client's name."""

import pytest
from django.core import mail

from notifications import tasks
from notifications.models import Kind, Notification, Preference
from programs.models import Role
from tests import factories as f

from .conftest import CLIENT_NAMES

pytestmark = pytest.mark.django_db

EXTRA_NAMES = ["Ignatius", "Thornbury", "Bartholomew", "Outsider"]


def _no_client_names(message):
    text = message.subject + message.body
    for name in CLIENT_NAMES + EXTRA_NAMES:
        assert name not in text


def _by_recipient():
    return {m.to[0]: m for m in mail.outbox}


def test_daily_digest_counts_alerts_and_steps_due(specialist, colleague, caseload_a, program_b_caseload, specialist_b):
    idle = f.make_user(Role.SPECIALIST, program=caseload_a[0].program, username="idle_spec")
    result = tasks.send_daily_digests.delay()
    assert result.get() == 3  # Dana, Eli, and program B's specialist; the idle one has nothing due
    sent = _by_recipient()
    assert set(sent) == {specialist.email, colleague.email, specialist_b.email}
    assert idle.email not in sent
    dana = sent[specialist.email]
    assert dana.subject == "IPS Case Manager: Your caseload today: 2 clients with alerts, 2 plan steps due"
    assert "  No recent contact: 2\n" in dana.body
    assert "  No employer contact yet: 1\n" in dana.body
    assert "Employment plan steps due today or overdue: 2" in dana.body
    assert "Job ended" not in dana.body  # alerts nobody has are left out
    assert "http://" in dana.body and "/clients/?scope=mine" in dana.body
    eli = sent[colleague.email]
    assert "1 client with alerts, 0 plan steps due" in eli.subject
    assert "  No recent contact: 1\n" in eli.body
    for message in mail.outbox:
        _no_client_names(message)
    assert Notification.objects.filter(user=specialist, kind=Kind.DAILY_DIGEST, read_at__isnull=True).count() == 1


def test_daily_digest_is_sent_once_a_day(specialist, caseload_a):
    tasks.send_daily_digests.delay().get()
    tasks.send_daily_digests.delay().get()
    assert len([m for m in mail.outbox if m.to == [specialist.email]]) == 1
    assert Notification.objects.filter(user=specialist).count() == 1


def test_weekly_digest_for_supervisors(supervisor_a, specialist, colleague, caseload_a, action_items_a, program_b):
    f.make_user(Role.SUPERVISOR, program=program_b, username="super_b")  # nothing in B: no e-mail
    assert tasks.send_weekly_digests.delay().get() == 1
    [message] = mail.outbox
    assert message.to == [supervisor_a.email]
    assert message.subject == "IPS Case Manager: Program A this week: 3 clients with alerts, 2 action-plan items due"
    assert "  Dana Reyes: 2 (No recent contact 2; No employer contact yet 1)\n" in message.body
    assert "  Eli Moss: 1 (No recent contact 1)\n" in message.body
    assert "Fidelity action-plan items overdue: 1\n" in message.body
    assert "Fidelity action-plan items due in the coming week: 1\n" in message.body
    _no_client_names(message)
    # The same week again: nothing new.
    tasks.send_weekly_digests.delay().get()
    assert len(mail.outbox) == 1


def test_preferences_choose_the_channels(specialist, caseload_a):
    Preference.objects.create(user=specialist, kind=Kind.DAILY_DIGEST, in_app=True, email=False)
    tasks.send_daily_digests.delay().get()
    assert not [m for m in mail.outbox if m.to == [specialist.email]]
    assert Notification.objects.get(user=specialist).shown


def test_email_only_is_not_listed_in_the_app(specialist, caseload_a):
    Preference.objects.create(user=specialist, kind=Kind.DAILY_DIGEST, in_app=False, email=True)
    tasks.send_daily_digests.delay().get()
    assert [m for m in mail.outbox if m.to == [specialist.email]]
    assert not Notification.objects.get(user=specialist).shown


def test_both_off_sends_nothing(specialist, caseload_a):
    Preference.objects.create(user=specialist, kind=Kind.DAILY_DIGEST, in_app=False, email=False)
    tasks.send_daily_digests.delay().get()
    assert not [m for m in mail.outbox if m.to == [specialist.email]]
    assert not Notification.objects.filter(user=specialist).exists()


def test_beat_schedules_both_digests(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.send_daily_digests", "notifications.send_weekly_digests"} <= tasks_scheduled
    assert "reports.check_quarter_close" in tasks_scheduled  # appended, not replaced
