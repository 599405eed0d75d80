"""Issue 14 part 4: the recorded address cannot be forged with X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from audit.models import Action, AuditEvent
from audit.services import client_ip
from tests import factories as f

pytestmark = pytest.mark.django_db


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_forged_header_is_not_stored(client, program_a, specialist_a):
    record = f.ClientFactory(program=program_a)
    client.force_login(specialist_a)
    response = client.get(f"/clients/{record.pk}/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW, object_id=str(record.pk), object_type="clients.client")
    assert event.ip_address == "203.0.113.9"
    assert not AuditEvent.objects.filter(ip_address="6.6.6.6").exists()


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("10.0.0.5", "6.6.6.6")) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # The client forged "6.6.6.6"; our proxies appended the real address and each other.
    assert client_ip(request_from("10.0.0.5", "6.6.6.6, 198.51.100.7, 192.0.2.1")) == "198.51.100.7"
    assert client_ip(request_from("10.0.0.5", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(request_from("10.0.0.5")) == "10.0.0.5"
    assert client_ip(request_from("198.51.100.20", "6.6.6.6")) == "198.51.100.20"  # not a proxy of ours


def test_garbage_in_the_header_is_never_stored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_ip(request_from("10.0.0.5", "not-an-address")) == "10.0.0.5"
    assert client_ip(request_from("10.0.0.5", "junk, 198.51.100.7")) == "198.51.100.7"
