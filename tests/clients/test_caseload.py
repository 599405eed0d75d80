"""My caseload (caseload.views.caseload): my clients or the program's, filters and sorts, the landing page
by role, and the navigation entry."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from programs.models import Role

from .. import factories as f
from .support import ago, today

pytestmark = pytest.mark.django_db


def test_a_specialist_lands_on_my_caseload_and_a_supervisor_on_home(client, specialist_a, supervisor_a):
    client.force_login(specialist_a)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("clients:caseload")
    client.force_login(supervisor_a)
    assert client.get(reverse("home")).status_code == 200


def test_caseload_lists_my_clients_and_toggles_to_the_program(logged_in, own_client, other_client, program_a):
    colleague_client = f.EnrollmentFactory(
        client__program=program_a,
        client__last_name="Colleaguesclient",
        specialist=f.make_user(Role.SPECIALIST, program=program_a, username="colleague"),
    ).client
    response = logged_in.get(reverse("clients:caseload"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    assert b"Fenwick" in response.content and b"Colleaguesclient" not in response.content
    response = logged_in.get(reverse("clients:caseload"), {"scope": "program"})
    assert {r.pk for r in response.context["data"].rows} == {own_client.pk, colleague_client.pk}
    assert b"Person" not in response.content  # another program's client
    assert AuditEvent.objects.filter(action=Action.VIEW, detail__page="caseload").count() == 2


def test_caseload_filters_and_sorts_by_get_parameters(logged_in, own_client, program_a, specialist_a):
    quiet = f.EnrollmentFactory(
        client__program=program_a, client__last_name="Aaronson", enrollment_date=ago(3), specialist=specialist_a
    ).client
    f.ContactFactory(client=quiet, contact_date=today())
    response = logged_in.get(reverse("clients:caseload"), {"alert": "no_employer_contact"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"sort": "alerts"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk, quiet.pk]
    response = logged_in.get(reverse("clients:caseload"), {"sort": "name"})
    assert [r.pk for r in response.context["data"].rows] == [quiet.pk, own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"q": "fenw", "phase": "engaging"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    response = logged_in.get(reverse("clients:caseload"), {"phase": "working"})
    assert response.context["data"].rows == []
    assert b"No client matches these filters" in response.content
    # Unknown values fall back to the defaults instead of failing.
    response = logged_in.get(reverse("clients:caseload"), {"sort": "drop table", "phase": "x", "alert": "y"})
    assert response.status_code == 200 and len(response.context["data"].rows) == 2


def test_supervisors_see_the_whole_program_by_default(client, supervisor_a, own_client, other_client):
    client.force_login(supervisor_a)
    response = client.get(reverse("clients:caseload"))
    assert response.context["scope"] == "program"
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]


def test_a_teammate_finds_my_clients_only_under_the_whole_program(client, teammate, own_client):
    client.force_login(teammate)
    assert client.get(reverse("clients:caseload")).context["data"].rows == []
    response = client.get(reverse("clients:caseload"), {"scope": "program"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]


def test_closed_clients_are_listed_under_the_closed_phase_with_re_enroll(logged_in, own_client):
    own_client.enrollments.update(closure_date=ago(2), closure_reason="goal_met")
    response = logged_in.get(reverse("clients:caseload"))
    assert response.context["data"].rows == []
    response = logged_in.get(reverse("clients:caseload"), {"phase": "closed"})
    assert [r.pk for r in response.context["data"].rows] == [own_client.pk]
    assert "Closed " in response.content.decode() and "Log contact" not in response.content.decode()
    record = logged_in.get(reverse("clients:client_detail", args=[own_client.pk])).content.decode()
    assert reverse("clients:reenroll", args=[own_client.pk]) in record
    assert "Working steadily, no longer wants services" in record


def test_navigation_offers_the_caseload_by_role(client, specialist_a, supervisor_a, trainer):
    client.force_login(specialist_a)
    assert b">My caseload</a>" in client.get(reverse("clients:caseload")).content
    client.force_login(supervisor_a)
    assert b">Caseload</a>" in client.get(reverse("home")).content
    client.force_login(trainer)
    assert reverse("clients:caseload").encode() not in client.get(reverse("home")).content
