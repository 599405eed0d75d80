"""The user's notifications in the app: the count, the list, marking read, the preferences page."""

import pytest

from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db


def _note(user, key, **extra):
    values = {"kind": Kind.DAILY_DIGEST, "title": f"Title {key}", "body": "2 clients", "link": "/clients/"}
    values.update(extra)
    return Notification.objects.create(user=user, key=key, **values)


def test_navigation_links_to_the_list_and_loads_the_count(client, specialist_a):
    client.force_login(specialist_a)
    body = client.get("/clients/").content.decode()
    assert 'href="/notifications/"' in body and 'hx-get="/notifications/count/"' in body


def test_badge_counts_own_unread_shown_only(client, specialist_a, specialist_b):
    _note(specialist_a, "a1")
    _note(specialist_a, "a2")
    _note(specialist_a, "a3", read_at="2026-11-29T10:00:00Z")
    _note(specialist_a, "a4", shown=False)
    _note(specialist_b, "b1")
    client.force_login(specialist_a)
    assert ">2<" in client.get("/notifications/count/").content.decode()
    client.force_login(specialist_b)
    assert ">1<" in client.get("/notifications/count/").content.decode()


def test_list_shows_own_notifications_only(client, specialist_a, specialist_b):
    _note(specialist_a, "mine", title="Mine to see")
    _note(specialist_b, "theirs", title="Not for you")
    _note(specialist_a, "hidden", title="E-mail only", shown=False)
    client.force_login(specialist_a)
    body = client.get("/notifications/").content.decode()
    assert "Mine to see" in body and "Not for you" not in body and "E-mail only" not in body


def test_mark_one_read_and_open_its_link(client, specialist_a):
    note = _note(specialist_a, "one")
    other = _note(specialist_a, "two")
    client.force_login(specialist_a)
    response = client.post("/notifications/read/", {"notification": note.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None


def test_mark_all_read_never_touches_another_users(client, specialist_a, specialist_b):
    _note(specialist_a, "a")
    theirs = _note(specialist_b, "b")
    client.force_login(specialist_a)
    client.post("/notifications/read/", {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(user=specialist_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_is_post_only(client, specialist_a):
    client.force_login(specialist_a)
    assert client.get("/notifications/read/").status_code == 405


def test_odd_input_is_no_error(client, specialist_a):
    client.force_login(specialist_a)
    for value in ["", "abc", "-1", "99999999999999999999"]:
        assert client.post("/notifications/read/", {"notification": value}).status_code == 302
    assert client.get("/notifications/?page=zzz").status_code == 200


def test_preferences_offer_the_roles_kinds_and_save(client, specialist_a, trainer):
    client.force_login(specialist_a)
    body = client.get("/notifications/preferences/").content.decode()
    assert 'name="daily_digest-email"' in body and "review_scheduled" not in body
    response = client.post("/notifications/preferences/", {"daily_digest-in_app": "on", "review_scheduled-email": "on"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=specialist_a)
    assert (preference.kind, preference.in_app, preference.email) == (Kind.DAILY_DIGEST, True, False)
    client.force_login(trainer)
    body = client.get("/notifications/preferences/").content.decode()
    assert 'name="review_scheduled-in_app"' in body and "daily_digest" not in body


def test_anonymous_users_log_in_first(client):
    for url in ["/notifications/", "/notifications/count/", "/notifications/preferences/"]:
        assert client.get(url).status_code == 302
