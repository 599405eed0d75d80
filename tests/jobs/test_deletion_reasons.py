"""Deleting an employer contact or a follow-along support asks why, like a client contact (#13.4): a
confirmation page with a required reason, kept in the audit entry with the deleted values. The owner and a
teammate may; another program's specialist gets a 404 and deletes nothing."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from jobs.models import EmployerContact, FollowAlongSupport

pytestmark = pytest.mark.django_db

CASES = {
    "employer contact": ("jobs:employer_contact_delete", "contact_a", "contact_b", EmployerContact),
    "support": ("jobs:support_delete", "support_a", "support_b", FollowAlongSupport),
}


def deletion(model, pk):
    return AuditEvent.objects.get(action=Action.DELETE, object_type=model._meta.label_lower, object_id=str(pk))


@pytest.mark.parametrize("what", CASES)
def test_the_page_asks_for_a_reason(web, what, request):
    name, fixture, _, _ = CASES[what]
    obj = request.getfixturevalue(fixture)
    page = web.get(reverse(name, args=[obj.pk])).content.decode()
    assert 'name="reason"' in page and "its reason and the deleted values" in page


@pytest.mark.parametrize("what", CASES)
def test_a_delete_without_a_reason_deletes_nothing(web, what, request):
    name, fixture, _, model = CASES[what]
    obj = request.getfixturevalue(fixture)
    response = web.post(reverse(name, args=[obj.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert model.objects.filter(pk=obj.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()


@pytest.mark.parametrize("who", ["owner", "teammate"])
@pytest.mark.parametrize("what", CASES)
def test_the_owner_or_a_teammate_deletes_with_the_reason_and_the_values_audited(
    client, specialist_a, teammate, who, what, request, client_a
):
    name, fixture, _, model = CASES[what]
    obj = request.getfixturevalue(fixture)
    user = specialist_a if who == "owner" else teammate
    client.force_login(user)
    response = client.post(reverse(name, args=[obj.pk]), {"reason": "Logged on the wrong day"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()
    event = deletion(model, obj.pk)
    assert event.user == user and event.detail["reason"] == "Logged on the wrong day"
    deleted = event.detail["deleted"]
    if model is EmployerContact:
        assert deleted["contact_person"] == "Wren Halvorsen" and event.detail["client_ids"] == [client_a.pk]
    else:
        assert (deleted["description"], deleted["minutes"]) == ("Met the shift lead", 30)


@pytest.mark.parametrize("what", CASES)
def test_an_outsider_gets_a_404_and_deletes_nothing(client, outsider, what, request):
    name, fixture, _, model = CASES[what]
    obj = request.getfixturevalue(fixture)
    client.force_login(outsider)
    url = reverse(name, args=[obj.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Not mine"}).status_code == 404
    assert model.objects.filter(pk=obj.pk).exists()
    assert not AuditEvent.objects.filter(action=Action.DELETE).exists()
