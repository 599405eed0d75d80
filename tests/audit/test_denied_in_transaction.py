"""Issue 14 part 4: a service that refuses a record inside its own transaction rolls the `denied`
entry back with everything else; the access layer writes it again once the transaction is gone."""

import datetime

import pytest
from django.http import Http404, HttpResponse, HttpResponseNotFound

from audit.middleware import RequestContextMiddleware
from audit.models import Action, AuditEvent
from audit.services import refusals_kept
from clients import services
from programs.access import Capability, require
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def foreign(program_a, specialist_a):
    """Program A's records, which specialist B (program B) must not touch."""
    client = f.ClientFactory(program=program_a)
    episode = f.EnrollmentFactory(
        client=client, referral_date=TODAY - datetime.timedelta(days=20), enrollment_date=None, specialist=None
    )
    return {"program": program_a, "client": client, "episode": episode}


SERVICES = {
    "refer": (
        "programs.program",
        lambda r, user: services.refer(
            r["program"], user=user, referral_date=TODAY, first_name="Ann", last_name="Other", record_number="X-1"
        ),
    ),
    "enroll": (
        "clients.enrollment",
        lambda r, user: services.enroll(r["episode"], user=user, enrollment_date=TODAY, specialist=None),
    ),
    "close_enrollment": (
        "clients.enrollment",
        lambda r, user: services.close_enrollment(r["episode"], user=user, closure_date=TODAY, closure_reason="moved"),
    ),
    "start_plan": (
        "clients.client",
        lambda r, user: services.start_plan(r["client"], user=user, goal="A job", start_date=TODAY),
    ),
}


@pytest.mark.parametrize("name", SERVICES)
def test_a_refusal_inside_a_services_transaction_is_kept(name, foreign, specialist_b):
    object_type, call = SERVICES[name]
    with refusals_kept():
        with pytest.raises(Http404):
            call(foreign, specialist_b)
        # Still inside the block: the entry went with the service's rolled-back transaction.
        assert not AuditEvent.objects.filter(action=Action.DENIED).exists()
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert (event.user, event.object_type) == (specialist_b, object_type)
    assert event.detail == {"capability": "edit_clients", "rolled_back": True}
    assert event.program_id == foreign["program"].pk


def test_a_refusal_outside_a_transaction_is_written_once(foreign, specialist_b):
    with refusals_kept(), pytest.raises(Http404):
        require(specialist_b, Capability.EDIT_CLIENTS, foreign["client"])
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == 1


def test_every_request_keeps_the_refusals_of_its_services(rf, foreign, specialist_b):
    """The middleware runs each request inside `refusals_kept`: a page whose service refused a
    record (and answered 404) leaves the `denied` entry, with the page's path."""

    def page(request):
        try:
            services.start_plan(foreign["client"], user=specialist_b, goal="A job", start_date=TODAY)
        except Http404:
            return HttpResponseNotFound()
        return HttpResponse()

    request = rf.post("/clients/plans/new/")
    request.user = specialist_b
    assert RequestContextMiddleware(page)(request).status_code == 404
    event = AuditEvent.objects.get(action=Action.DENIED)
    assert (event.object_id, event.path) == (str(foreign["client"].pk), "/clients/plans/new/")
