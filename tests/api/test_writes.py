"""Writes through the pages' services: client contacts, employer contacts, job starts; idempotency
keys on POST, optimistic locking on updates, field errors (never a 500), role and program refusals."""

import datetime

import pytest

from audit.models import Action, AuditEvent
from clients.models import Contact
from jobs.models import Employer, EmployerContact, JobStart

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def post(api, url, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(url, data, format="json", **headers)


# --- Client contacts ---------------------------------------------------------------------------


def test_post_a_contact_runs_the_service_and_is_audited(api_a, client_a, specialist_a, today):
    response = post(api_a, "/api/v1/contacts/", {"client": client_a.pk, "minutes": 25, "note": " Met at the café "})
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    # The service's defaults and clean-up: today, face to face, acting user as staff, note stripped.
    assert (contact.contact_date, contact.mode, contact.staff, contact.note) == (
        today,
        "face_to_face",
        specialist_a,
        "Met at the café",
    )
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="clients.contact", user=specialist_a).exists()


def test_a_repeated_idempotency_key_returns_the_first_answer(api_a, client_a):
    first = post(api_a, "/api/v1/contacts/", {"client": client_a.pk, "minutes": 10}, key="phone-123")
    again = post(api_a, "/api/v1/contacts/", {"client": client_a.pk, "minutes": 10}, key="phone-123")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Contact.objects.filter(client=client_a).count() == 1
    assert post(api_a, "/api/v1/contacts/", {"client": client_a.pk}, key="phone-124").status_code == 201
    assert Contact.objects.filter(client=client_a).count() == 2


def test_idempotency_keys_are_per_user_and_per_endpoint(api_a, client_a, employer_a, other_specialist_a, api_as):
    post(api_a, "/api/v1/contacts/", {"client": client_a.pk}, key="k1")
    # Another user's same key is theirs: it writes.
    assert post(api_as(other_specialist_a), "/api/v1/contacts/", {"client": client_a.pk}, key="k1").status_code == 201
    reused = post(api_a, "/api/v1/employer-contacts/", {"employer": employer_a.pk, "contact_date": "2026-11-02"}, "k1")
    assert reused.status_code == 400 and "Idempotency-Key" in reused.json()
    assert Contact.objects.filter(client=client_a).count() == 2


def test_a_refused_post_stores_no_key(api_a, client_a, today):
    future = (today + DAY).isoformat()
    bad = post(api_a, "/api/v1/contacts/", {"client": client_a.pk, "contact_date": future}, key="retry-me")
    assert bad.status_code == 400 and "contact_date" in bad.json()
    good = post(api_a, "/api/v1/contacts/", {"client": client_a.pk}, key="retry-me")
    assert good.status_code == 201


@pytest.mark.parametrize(
    "data, fields",
    [
        ({}, {"client"}),
        ({"client": "abc", "minutes": -5}, {"client", "minutes"}),
        ({"client": 1, "mode": "telepathy", "contact_date": "30/11/2026"}, {"mode", "contact_date"}),
        ([1, 2], {"non_field_errors"}),
    ],
)
def test_bad_input_is_400_with_field_errors(api_a, client_a, data, fields):
    response = api_a.post("/api/v1/contacts/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields


def test_malformed_json_is_400(api_a):
    response = api_a.post("/api/v1/contacts/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_another_programs_client_is_404_and_nothing_written(api_a, client_b):
    assert post(api_a, "/api/v1/contacts/", {"client": client_b.pk}).status_code == 404
    assert post(api_a, "/api/v1/contacts/", {"client": 999999}).status_code == 404
    assert not Contact.objects.exists()


def test_a_trainer_cannot_write(trainer_api, client_a, employer_a):
    assert post(trainer_api, "/api/v1/contacts/", {"client": client_a.pk}).status_code == 403
    data = {"employer": employer_a.pk, "contact_date": "2026-11-02"}
    assert post(trainer_api, "/api/v1/employer-contacts/", data).status_code == 403
    assert not Contact.objects.exists() and not EmployerContact.objects.exists()


# --- Employer contacts -------------------------------------------------------------------------


def test_post_an_employer_contact_with_clients(api_a, employer_a, client_a, specialist_a, today):
    data = {"employer": employer_a.pk, "contact_date": (today - DAY).isoformat(), "clients": [client_a.pk]}
    response = post(api_a, "/api/v1/employer-contacts/", data, key="ec-1")
    assert response.status_code == 201, response.content
    contact = EmployerContact.objects.get(pk=response.json()["id"])
    assert contact.specialist == specialist_a and contact.client_specific
    assert list(contact.clients.all()) == [client_a]
    assert post(api_a, "/api/v1/employer-contacts/", data, key="ec-1").json()["id"] == contact.pk
    assert EmployerContact.objects.count() == 1


def test_an_employer_contact_refuses_other_programs(api_a, employer_a, employer_b, client_b, today):
    day = (today - DAY).isoformat()
    assert (
        post(api_a, "/api/v1/employer-contacts/", {"employer": employer_b.pk, "contact_date": day}).status_code == 404
    )
    response = post(
        api_a, "/api/v1/employer-contacts/", {"employer": employer_a.pk, "contact_date": day, "clients": [client_b.pk]}
    )
    assert response.status_code == 400 and "clients" in response.json()
    assert not EmployerContact.objects.exists()


def _contact(api, employer, today):
    data = {"employer": employer.pk, "contact_date": (today - 2 * DAY).isoformat(), "outcome": "Left a card"}
    return post(api, "/api/v1/employer-contacts/", data).json()


def test_update_an_employer_contact_with_if_match(api_a, employer_a, today):
    row = _contact(api_a, employer_a, today)
    data = {"employer": employer_a.pk, "contact_date": row["contact_date"], "outcome": "Interview set"}
    response = api_a.put(f"/api/v1/employer-contacts/{row['id']}/", data, format="json", HTTP_IF_MATCH=row["version"])
    assert response.status_code == 200, response.content
    assert EmployerContact.objects.get(pk=row["id"]).outcome == "Interview set"
    # The first version is stale now: refused with 412, nothing overwritten.
    stale = api_a.put(
        f"/api/v1/employer-contacts/{row['id']}/",
        {**data, "outcome": "Old"},
        format="json",
        HTTP_IF_MATCH=row["version"],
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == response.json()["version"]
    assert EmployerContact.objects.get(pk=row["id"]).outcome == "Interview set"


def test_an_update_without_a_version_is_428(api_a, employer_a, today):
    row = _contact(api_a, employer_a, today)
    data = {"employer": employer_a.pk, "contact_date": row["contact_date"], "outcome": "x"}
    assert api_a.put(f"/api/v1/employer-contacts/{row['id']}/", data, format="json").status_code == 428
    assert EmployerContact.objects.get(pk=row["id"]).outcome == "Left a card"


# --- Job starts --------------------------------------------------------------------------------


def test_post_a_job_start_with_a_new_employer_name(api_a, client_a, today):
    data = {"client": client_a.pk, "employer_name": "Riverside Grocers", "job_title": "Cashier"}
    data["start_date"] = (today - 3 * DAY).isoformat()
    response = post(api_a, "/api/v1/job-starts/", data, key="job-1")
    assert response.status_code == 201, response.content
    job = JobStart.objects.get(pk=response.json()["id"])
    assert job.employer.name == "Riverside Grocers" and job.employer.program == client_a.program
    assert post(api_a, "/api/v1/job-starts/", data, key="job-1").json()["id"] == job.pk
    assert JobStart.objects.count() == 1 and Employer.objects.count() == 1


def test_a_job_start_follows_the_services_rules(api_a, client_a, employer_a, today):
    future = {"client": client_a.pk, "employer": employer_a.pk, "job_title": "Baker"}
    response = post(api_a, "/api/v1/job-starts/", {**future, "start_date": (today + 5 * DAY).isoformat()})
    assert response.status_code == 400 and "start_date" in response.json()
    missing = post(
        api_a, "/api/v1/job-starts/", {"client": client_a.pk, "job_title": "Baker", "start_date": "2026-11-02"}
    )
    assert missing.status_code == 400 and "employer" in missing.json()
    assert not JobStart.objects.exists()


def test_an_unusual_wage_is_a_field_error_until_confirmed(api_a, client_a, employer_a, today):
    """The same bounds as the pages (BenchmarkSettings): $90 an hour is within the hard bounds but unusual."""
    data = {"client": client_a.pk, "employer": employer_a.pk, "job_title": "Baker", "hourly_wage": "90.00"}
    data["start_date"] = (today - 3 * DAY).isoformat()
    asked = post(api_a, "/api/v1/job-starts/", data)
    assert asked.status_code == 400 and "hourly_wage" in asked.json()
    assert post(api_a, "/api/v1/job-starts/", {**data, "hourly_wage": "5000"}).status_code == 400
    assert not JobStart.objects.exists()
    confirmed = post(api_a, "/api/v1/job-starts/", {**data, "wage_confirmed": True})
    assert confirmed.status_code == 201, confirmed.content
    assert str(JobStart.objects.get().hourly_wage) == "90.00"


def test_a_job_start_for_another_programs_client_or_employer_is_404(api_a, client_a, client_b, employer_b):
    base = {"job_title": "Baker", "start_date": "2026-11-02"}
    assert post(api_a, "/api/v1/job-starts/", {**base, "client": client_b.pk, "employer_name": "X"}).status_code == 404
    assert (
        post(api_a, "/api/v1/job-starts/", {**base, "client": client_a.pk, "employer": employer_b.pk}).status_code
        == 404
    )
    assert not JobStart.objects.exists()


def test_patch_a_job_with_the_version_field_and_refuse_a_stale_one(api_a, job_a):
    row = api_a.get(f"/api/v1/job-starts/{job_a.pk}/").json()
    url = f"/api/v1/job-starts/{job_a.pk}/"
    ok = api_a.patch(url, {"job_title": "Head baker", "version": row["version"]}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["job_title"] == "Head baker"
    stale = api_a.patch(url, {"hours_per_week": "30", "version": row["version"]}, format="json")
    assert stale.status_code == 412
    job_a.refresh_from_db()
    assert (job_a.job_title, job_a.hours_per_week) == ("Head baker", 20)


def test_patch_refuses_bad_values_and_other_programs(api_a, api_b, job_a):
    version = api_a.get(f"/api/v1/job-starts/{job_a.pk}/").json()["version"]
    url = f"/api/v1/job-starts/{job_a.pk}/"
    bad = api_a.patch(url, {"hours_per_week": "500", "job_type": "forever"}, format="json", HTTP_IF_MATCH=version)
    assert bad.status_code == 400 and set(bad.json()) == {"hours_per_week", "job_type"}
    assert api_b.patch(url, {"job_title": "Hacked"}, format="json", HTTP_IF_MATCH=version).status_code == 404
    job_a.refresh_from_db()
    assert job_a.job_title == "Stock clerk"
