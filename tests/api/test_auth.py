"""Authentication (tokens and sessions), token lifecycle, throttling, the schema and the docs page."""

import datetime
import hashlib

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import revoke_token
from audit.models import Action, AuditEvent
from core.errors import RuleViolation

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients/"


def test_a_token_is_stored_hashed_and_shown_once(specialist_a, token_for):
    token, raw = token_for(specialist_a)
    assert raw.startswith("ips_") and len(raw) > 40
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.prefix == raw[: len(token.prefix)]


def test_a_token_authenticates_and_marks_its_use(specialist_a, client_a, token_for):
    token, raw = token_for(specialist_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api.get(CLIENTS)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [client_a.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_anonymous_and_wrong_tokens_are_refused(client_a):
    assert APIClient().get(CLIENTS).status_code == 401
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer ips_not-a-real-token")
    response = api.get(CLIENTS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(specialist_a, client_a, token_for, time_machine):
    _, raw = token_for(specialist_a, days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(CLIENTS).status_code == 200
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=31))
    assert api.get(CLIENTS).status_code == 401


def test_a_revoked_token_is_refused(specialist_a, admin_user, client_a, token_for):
    token, raw = token_for(specialist_a)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(CLIENTS).status_code == 200
    revoke_token(token, user=admin_user)  # an administrator may revoke anyone's token
    assert api.get(CLIENTS).status_code == 401
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="api.apitoken", user=admin_user).exists()


def test_only_the_owner_or_an_administrator_revokes(specialist_a, specialist_b, token_for):
    token, _ = token_for(specialist_a)
    with pytest.raises(RuleViolation):
        revoke_token(token, user=specialist_b)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_deactivated_users_token_is_refused(specialist_a, client_a, api_a):
    specialist_a.is_active = False
    specialist_a.save()
    assert api_a.get(CLIENTS).status_code == 401


def test_the_tokens_page_creates_shows_once_and_revokes(client, specialist_a):
    client.force_login(specialist_a)
    response = client.post("/api/tokens/", {"name": "state sync", "days": "90"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=specialist_a)
    assert raw not in client.get("/api/tokens/").content.decode()  # shown once
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(CLIENTS).status_code == 200
    client.post(f"/api/tokens/{token.pk}/revoke/")
    assert api.get(CLIENTS).status_code == 401


def test_the_tokens_page_refuses_bad_input_and_others_tokens(client, specialist_a, specialist_b, token_for):
    client.force_login(specialist_a)
    response = client.post("/api/tokens/", {"name": " ", "days": "7"})
    assert response.status_code == 400
    assert set(response.context["errors"]) == {"name", "days"}
    assert not ApiToken.objects.filter(user=specialist_a).exists()
    theirs, _ = token_for(specialist_b)
    assert client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_session_authentication_works_for_the_browser(client, specialist_a, client_a):
    client.force_login(specialist_a)
    assert client.get(CLIENTS).json()["results"][0]["id"] == client_a.pk


def test_a_session_post_needs_the_csrf_token(specialist_a, client_a):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(specialist_a)
    response = api.post("/api/v1/contacts/", {"client": client_a.pk}, format="json")
    assert response.status_code == 403


def test_throttling_counts_per_token(settings, specialist_a, client_a, token_for):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(specialist_a)[1]}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(specialist_a)[1]}")
    assert [first.get(CLIENTS).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get(CLIENTS).status_code == 200  # another token of the same user has its own count


def test_reads_are_audited(api_a, client_a, specialist_a):
    api_a.get(CLIENTS)
    api_a.get(f"{CLIENTS}{client_a.pk}/")
    events = AuditEvent.objects.filter(user=specialist_a, action=Action.VIEW, detail__via="api")
    listed = [e.detail for e in events if e.detail.get("api") == "clients" and "ids" in e.detail]
    assert listed == [
        {"via": "api", "api": "clients", "shown": "clients.client", "ids": [client_a.pk], "clients": [client_a.pk]}
    ]
    assert events.filter(object_type="clients.client", object_id=str(client_a.pk)).exists()


def test_the_schema_and_docs_are_served_without_a_cdn(client, specialist_a):
    client.force_login(specialist_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/clients/" in paths and "/api/v1/job-starts/{id}/" in paths and "/api/v1/metrics/" in paths
    assert "apiToken" in schema.json()["components"]["securitySchemes"]
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()
    # Nothing inline for the Content-Security-Policy to block: the start-up script is a URL of its own.
    assert "<script>" not in docs and "<style" not in docs
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "/api/schema/" in script.content.decode()


def test_the_root_lists_the_endpoints(api_a):
    links = api_a.get("/api/v1/").json()
    assert links["clients"].endswith("/api/v1/clients/") and "metrics" in links
