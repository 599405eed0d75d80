"""Logging a contact: the quick log from the caseload row or the record (htmx and without JavaScript)
and the full contact form; invalid input is kept with the error by its field."""

import datetime
import json

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from clients.models import Contact

from .support import ago, audited, iso, today

pytestmark = pytest.mark.django_db


def quick_data(**extra):
    data = {
        "contact_date": iso(today()),
        "with_whom": "client",
        "mode": "face_to_face",
        "place": "community",
        "minutes": "",
        "note": "",
    }
    data.update(extra)
    return data


def test_quick_contact_from_the_caseload_by_htmx_returns_the_row_and_a_trigger(logged_in, own_client, specialist_a):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(url, quick_data(**{"from": "caseload"}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"contactLogged": {"client": own_client.pk}}
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="client-row-{own_client.pk}"')
    assert "Contact saved" in body and "today" in body
    contact = Contact.objects.get(client=own_client)
    assert (contact.staff, contact.contact_date, contact.mode, contact.place) == (
        specialist_a,
        today(),
        "face_to_face",
        "community",
    )
    assert audited(Action.CREATE, contact)
    # The service audits the write with the request's path and address (audit.middleware).
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(contact.pk))
    assert (event.user, event.path, event.ip_address) == (specialist_a, url, "127.0.0.1")


def test_quick_contact_from_the_record_by_htmx_returns_a_fresh_form(logged_in, own_client):
    response = logged_in.post(
        reverse("clients:quick_contact", args=[own_client.pk]), quick_data(note="Coffee"), HTTP_HX_REQUEST="true"
    )
    assert json.loads(response["HX-Trigger"]) == {"contactLogged": {"client": own_client.pk}}
    body = response.content.decode()
    assert 'id="quick-contact"' in body and "Coffee" not in body
    assert Contact.objects.get(client=own_client).note == "Coffee"


def test_quick_contact_without_js_redirects_back(logged_in, own_client):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(url, quick_data(note="Coffee", next="/clients/?sort=alerts"))
    assert response.status_code == 302 and response.url == "/clients/?sort=alerts"
    response = logged_in.post(url, {"note": "Only a note", "next": "https://evil.example/"})
    assert response.url == reverse("clients:client_detail", args=[own_client.pk])
    assert Contact.objects.filter(client=own_client).count() == 2
    defaulted = Contact.objects.get(note="Only a note")  # everything left out takes the defaults
    assert (defaulted.contact_date, defaulted.with_whom, defaulted.mode, defaulted.place) == (
        today(),
        "client",
        "face_to_face",
        "community",
    )
    assert logged_in.get(url).status_code == 405


def test_quick_contact_invalid_keeps_the_input_and_shows_the_error(logged_in, own_client):
    url = reverse("clients:quick_contact", args=[own_client.pk])
    response = logged_in.post(
        url, quick_data(minutes="2000", note="Long day", **{"from": "caseload"}), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "HX-Trigger" not in response
    assert 'details class="quick-log" open' in body
    assert "1440" in body and 'value="Long day"' in body and 'value="2000"' in body
    response = logged_in.post(url, quick_data(minutes="-5", note="On the record"), HTTP_HX_REQUEST="true")
    assert 'id="quick-contact"' in response.content.decode() and "On the record" in response.content.decode()
    # Without JavaScript the full form shows the error, the input kept.
    response = logged_in.post(url, quick_data(contact_date=iso(today() + datetime.timedelta(days=1)), note="Later"))
    assert "cannot be in the future" in str(response.context["form"].errors["contact_date"])
    assert "Later</textarea>" in response.content.decode()
    assert not Contact.objects.exists()


def test_full_contact_form_valid_and_future_date_refused(logged_in, own_client):
    url = reverse("clients:contact_create", args=[own_client.pk])
    page = logged_in.get(url)
    assert page.context["form"].initial["mode"] == "face_to_face"
    tomorrow = today() + datetime.timedelta(days=1)
    data = quick_data(contact_date=iso(tomorrow), with_whom="mh_team", mode="phone", place="office", note="Team")
    response = logged_in.post(url, data)
    assert response.status_code == 200
    assert "cannot be in the future" in str(response.context["form"].errors["contact_date"])
    assert "Team</textarea>" in response.content.decode()
    assert not Contact.objects.exists()
    response = logged_in.post(url, quick_data(contact_date=iso(ago(2)), with_whom="mh_team", mode="", minutes="20"))
    assert "mode" in response.context["form"].errors
    response = logged_in.post(url, quick_data(contact_date=iso(ago(2)), with_whom="mh_team", mode="video"))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.with_whom == "mh_team" and audited(Action.CREATE, contact)
