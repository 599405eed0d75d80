"""The installable app's files and the expired-session answers, without a browser."""

import json

import pytest
from django.urls import reverse

from accounts.sessions import RENEWED_AT

pytestmark = pytest.mark.django_db


def test_htmx_request_with_an_expired_session_gets_a_401_not_the_login_page(client, field_client):
    url = reverse("clients:quick_contact", args=[field_client.pk])
    response = client.post(
        url, {"note": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/clients/?q=a"
    )
    assert response.status_code == 401 and response["HX-Trigger"] == "sessionExpired"
    assert json.loads(response.content)["login_url"] == "/login/?next=%2Fclients%2F%3Fq%3Da"
    # The outbox's sends too; a plain page still goes to the log-in page.
    assert client.post(url, {"note": "x"}, HTTP_X_OUTBOX="1").status_code == 401
    assert client.post(url, {"note": "x"}).status_code == 302


def test_keep_alive_renews_the_session_and_refuses_without_one(client, field_specialist):
    url = reverse("keep_alive")
    assert client.post(url).status_code == 401
    client.force_login(field_specialist)
    session = client.session
    session[RENEWED_AT] = 0
    session.save()
    response = client.post(url)
    assert response.status_code == 200 and response.json() == {"idle_seconds": 15 * 60}
    assert client.session[RENEWED_AT] > 0
    assert client.get(url).status_code == 405


def test_manifest_and_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    icons = response.json()["icons"]
    assert {"maskable"} == {i.get("purpose") for i in icons if i.get("purpose")}
    assert {i["sizes"] for i in icons} >= {"192x192", "512x512"}


def test_service_worker_is_served_from_the_root_and_caches_no_pages(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "application/javascript" and response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    assert '"/static/js/offline.js"' in script and "/*ASSETS*/" not in script
    # Only static files and the offline page are put in the cache.
    assert script.count("cache.put(") == 1 and 'url.pathname.startsWith("/static/")' in script


def test_offline_page_carries_no_client_data(client, field_specialist, field_client):
    client.force_login(field_specialist)
    body = client.get("/offline/").content.decode()
    assert "No connection" in body and field_client.last_name not in body and field_specialist.username not in body


def test_signed_in_pages_link_the_manifest_and_the_idle_timeout(client, field_specialist, field_client):
    client.force_login(field_specialist)
    body = client.get(reverse("clients:caseload")).content.decode()
    assert 'rel="manifest"' in body and 'name="session-idle-seconds" content="900"' in body
    assert 'id="outbox-badge"' in body and "data-outbox=" in body
