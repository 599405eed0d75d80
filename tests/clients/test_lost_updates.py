"""No silent lost update on an episode or a plan step (issue 18): an out-of-date enrollment form is refused
with the other person's values shown and the input kept; of people closing one episode at once exactly one
succeeds (each on its own database connection) and the others are told who closed it; a repeated "done"
tap changes nothing."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients import services
from clients.models import Enrollment, PlanStep
from core.errors import RuleViolation
from core.locking import EditConflict, version_of

from .. import factories as f
from .support import ago, iso, today

CLOSERS = 10
REASONS = ["goal_met", "declined", "moved", "lost_contact", "health", "transferred", "other"]


def test_stale_enrollment_form_is_refused_with_their_values_and_my_input_kept(
    client, own_client, specialist_a, teammate
):
    episode = own_client.enrollments.get()
    url = reverse("clients:enroll", args=[own_client.pk, episode.pk])
    client.force_login(specialist_a)
    version = client.get(url).context["form"].initial["version"]
    # Meanwhile a colleague, from their own form, moves the client to the teammate's caseload.
    services.enroll(episode, user=specialist_a, enrollment_date=ago(30), specialist=teammate, version=version)
    mine = {"enrollment_date": iso(ago(20)), "specialist": specialist_a.pk, "version": version}
    response = client.post(url, mine)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Someone else saved this record" in str(form.non_field_errors())
    labels = {label: (theirs, yours) for label, theirs, yours in form.conflict_changes}
    assert labels["Specialist"] == (teammate, specialist_a)
    assert labels["Enrollment date"] == (ago(30), ago(20))
    body = response.content.decode()
    assert iso(ago(20)) in body  # my input is still in the form
    episode.refresh_from_db()
    assert (episode.enrollment_date, episode.specialist) == (ago(30), teammate)  # theirs is not overwritten
    # The form now carries their version: saving again deliberately replaces it.
    assert form["version"].value() == version_of(episode)
    assert client.post(url, {**mine, "version": form["version"].value()}).status_code == 302
    episode.refresh_from_db()
    assert (episode.enrollment_date, episode.specialist) == (ago(20), specialist_a)


def test_enroll_service_refuses_a_stale_version(own_client, specialist_a, teammate):
    episode = own_client.enrollments.get()
    stale = Enrollment.objects.get(pk=episode.pk)
    version = version_of(stale)
    services.enroll(episode, user=specialist_a, enrollment_date=ago(30), specialist=teammate, version=version)
    with pytest.raises(EditConflict):
        services.enroll(stale, user=specialist_a, enrollment_date=ago(20), specialist=specialist_a, version=version)
    episode.refresh_from_db()
    assert (episode.enrollment_date, episode.specialist) == (ago(30), teammate)


def test_closing_a_stale_form_after_someone_else_closed_says_who_closed_it(client, own_client, specialist_a):
    episode = own_client.enrollments.get()
    url = reverse("clients:close_enrollment", args=[own_client.pk, episode.pk])
    client.force_login(specialist_a)
    version = client.get(url).context["form"].initial["version"]
    services.close_enrollment(episode, user=specialist_a, closure_date=ago(2), closure_reason="moved", version=version)
    mine = {"closure_date": iso(ago(1)), "closure_reason": "declined", "closure_note": "My reason", "version": version}
    response = client.post(url, mine)
    assert response.status_code == 200
    errors = str(response.context["form"].non_field_errors())
    assert "already closed by" in errors and "Moved away" in errors
    assert "My reason" in response.content.decode()  # the input is kept
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (ago(2), "moved")


@pytest.fixture
def open_episode(transactional_db, program_a, specialist_a):
    new_client = f.ClientFactory(program=program_a)
    return f.EnrollmentFactory(
        client=new_client, enrollment_date=ago(40), referral_date=ago(45), specialist=specialist_a
    )


def test_ten_people_closing_at_once_exactly_one_succeeds(open_episode, specialist_a):
    # Each closer opened the form before anyone saved: the same version, their own reason.
    forms = [Enrollment.objects.get(pk=open_episode.pk) for _ in range(CLOSERS)]
    version = version_of(forms[0])
    start = threading.Barrier(CLOSERS)

    def close(n):
        try:
            start.wait(timeout=10)
            reason = REASONS[n % len(REASONS)]
            # Half carry the form's version, half lock only (a caller without a form): both refused alike.
            services.close_enrollment(
                forms[n],
                user=specialist_a,
                closure_date=ago(1),
                closure_reason=reason,
                closure_note=f"closer {n}",
                version=version if n % 2 else None,
            )
            return ("closed", n)
        except RuleViolation as exc:
            return ("refused", str(exc))
        finally:
            connection.close()  # each thread's own connection

    with ThreadPoolExecutor(max_workers=CLOSERS) as pool:
        outcomes = list(pool.map(close, range(CLOSERS)))

    winners = [n for kind, n in outcomes if kind == "closed"]
    refusals = [text for kind, text in outcomes if kind == "refused"]
    assert len(winners) == 1, outcomes
    assert len(refusals) == CLOSERS - 1 and all("already closed by" in text for text in refusals), refusals
    open_episode.refresh_from_db()
    assert open_episode.closure_note == f"closer {winners[0]}"  # the one told "closed" is the one saved
    assert open_episode.closure_reason == REASONS[winners[0] % len(REASONS)]
    closures = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="clients.enrollment", object_id=str(open_episode.pk)
    )
    assert closures.count() == 1


def test_a_repeated_done_tap_keeps_the_first_completion_date(client, own_client, specialist_a, time_machine):
    step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=own_client))
    url = reverse("clients:step_toggle", args=[own_client.pk, step.pk])
    client.force_login(specialist_a)
    time_machine.move_to(ago(1))
    first_day = today()
    assert client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true").status_code == 200
    time_machine.move_to(ago(-1))
    # The same tap again, arriving a day later on a slow network: still done, on the first day.
    response = client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Mark not done" in response.content.decode()
    step.refresh_from_db()
    assert step.completed_on == first_day
    updates = AuditEvent.objects.filter(action=Action.UPDATE, object_type="clients.planstep", object_id=str(step.pk))
    assert updates.count() == 1
    # "Not done" twice: undone once, the repeat changes nothing.
    client.post(url, {"done": "0"})
    client.post(url, {"done": "0"})
    step.refresh_from_db()
    assert step.completed_on is None and updates.count() == 2


def test_the_step_button_asks_for_the_state_it_shows(client, own_client, specialist_a):
    step = f.PlanStepFactory(plan=f.EmploymentPlanFactory(client=own_client))
    client.force_login(specialist_a)
    page = client.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert 'name="done" value="1"' in page
    services.complete_step(step, user=specialist_a, done=True)
    page = client.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert 'name="done" value="0"' in page
    assert PlanStep.objects.get(pk=step.pk).completed_on == today()
