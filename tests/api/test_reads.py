"""Read endpoints: scoped by the access layer (lists show only the user's programs, another program's
record is a 404), filters, cursor pagination, role refusals."""

import datetime

import pytest
from django.utils import timezone

from .. import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def records(client_a, client_b, job_a, job_b, employer_a, employer_b, specialist_a, specialist_b, today):
    """One of everything in program A and in program B."""
    out = {}
    for side, client, job, employer, staff in (
        ("a", client_a, job_a, employer_a, specialist_a),
        ("b", client_b, job_b, employer_b, specialist_b),
    ):
        out[side] = {
            "clients": client,
            "enrollments": client.enrollments.get(),
            "contacts": f.ContactFactory(client=client, staff=staff, contact_date=today - 2 * DAY),
            "employers": employer,
            "employer-contacts": f.EmployerContactFactory(employer=employer, specialist=staff, clients=[client]),
            "job-starts": job,
            "follow-along-supports": f.FollowAlongSupportFactory(job=job),
            "benefits-sessions": f.BenefitsCounselingSessionFactory(client=client),
        }
    return out


ENDPOINTS = [
    "clients",
    "enrollments",
    "contacts",
    "employers",
    "employer-contacts",
    "job-starts",
    "follow-along-supports",
    "benefits-sessions",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_show_only_the_users_program(api_a, api_b, records, endpoint):
    assert ids(api_a.get(f"/api/v1/{endpoint}/")) == [records["a"][endpoint].pk]
    assert ids(api_b.get(f"/api/v1/{endpoint}/")) == [records["b"][endpoint].pk]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_another_programs_record_is_404(api_a, records, endpoint):
    mine, theirs = records["a"][endpoint], records["b"][endpoint]
    response = api_a.get(f"/api/v1/{endpoint}/{mine.pk}/")
    assert response.status_code == 200 and response.json()["id"] == mine.pk
    assert api_a.get(f"/api/v1/{endpoint}/{theirs.pk}/").status_code == 404


def test_a_record_carries_its_version_as_etag(api_a, records):
    job = records["a"]["job-starts"]
    response = api_a.get(f"/api/v1/job-starts/{job.pk}/")
    assert response["ETag"] == f'"{response.json()["version"]}"'
    assert response.json()["version"] == job.updated_at.isoformat()


def test_job_starts_show_their_end(api_a, records, today):
    job = records["a"]["job-starts"]
    job.end_date, job.end_type = today - DAY, "quit"
    job.save()
    row = api_a.get(f"/api/v1/job-starts/{job.pk}/").json()
    assert (row["end_date"], row["end_type"]) == ((today - DAY).isoformat(), "quit")
    assert ids(api_a.get("/api/v1/job-starts/?ended=true")) == [job.pk]
    assert ids(api_a.get("/api/v1/job-starts/?ended=false")) == []


def test_trainers_get_no_client_records_but_see_employers(trainer_api, records):
    # Trainers see aggregates, never client names: the pages' rule, not a second one.
    for endpoint in ("clients", "contacts", "job-starts", "enrollments"):
        assert trainer_api.get(f"/api/v1/{endpoint}/").status_code == 403
    assert ids(trainer_api.get("/api/v1/employers/")) == [records["a"]["employers"].pk]


def test_filters_by_date_specialist_and_program(api_a, records, client_a, specialist_a, other_specialist_a, today):
    old = f.ContactFactory(client=client_a, staff=other_specialist_a, contact_date=today - 40 * DAY)
    recent = records["a"]["contacts"]
    assert ids(api_a.get(f"/api/v1/contacts/?date_from={(today - 10 * DAY).isoformat()}")) == [recent.pk]
    assert ids(api_a.get(f"/api/v1/contacts/?date_to={(today - 10 * DAY).isoformat()}")) == [old.pk]
    assert ids(api_a.get(f"/api/v1/contacts/?specialist={other_specialist_a.pk}")) == [old.pk]
    assert ids(api_a.get(f"/api/v1/clients/?specialist={specialist_a.pk}")) == [client_a.pk]
    assert ids(api_a.get(f"/api/v1/clients/?specialist={other_specialist_a.pk}")) == []
    assert ids(api_a.get(f"/api/v1/clients/?program={client_a.program_id}")) == [client_a.pk]


def test_another_programs_id_in_a_filter_matches_nothing(api_a, records, client_b):
    # Not a "not a valid choice" error, which would confirm the record exists.
    assert ids(api_a.get(f"/api/v1/contacts/?client={client_b.pk}")) == []
    assert ids(api_a.get(f"/api/v1/clients/?program={client_b.program_id}")) == []


def test_updated_since_for_incremental_sync(api_a, records, client_a, time_machine):
    later = timezone.now() + datetime.timedelta(hours=2)
    assert ids(api_a.get("/api/v1/clients/", {"updated_since": later.isoformat()})) == []
    time_machine.move_to(later + datetime.timedelta(minutes=1))
    client_a.phone = "555-0100"
    client_a.save()
    assert ids(api_a.get("/api/v1/clients/", {"updated_since": later.isoformat()})) == [client_a.pk]


def test_bad_filter_values_are_400_with_field_errors(api_a, records):
    response = api_a.get("/api/v1/contacts/?date_from=yesterday&specialist=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"date_from", "specialist"}


def test_cursor_pagination_is_stable(api_a, program_a, records):
    extra = [f.ClientFactory(program=program_a) for _ in range(4)]
    first = api_a.get("/api/v1/clients/?page_size=2").json()
    assert [r["id"] for r in first["results"]] == [extra[3].pk, extra[2].pk]
    f.ClientFactory(program=program_a)  # a new record does not shift the next page
    second = api_a.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [extra[1].pk, extra[0].pk]
    assert api_a.get("/api/v1/clients/?cursor=garbage").status_code == 404


def test_quarterly_reports_for_supervisors_not_other_programs(supervisor_api, api_b, program_a):
    report = f.QuarterlyReportFactory(program=program_a, year=2026, quarter=1)
    assert ids(supervisor_api.get("/api/v1/quarterly-reports/")) == [report.pk]
    assert supervisor_api.get(f"/api/v1/quarterly-reports/{report.pk}/").json()["quarter"] == 1
    assert api_b.get(f"/api/v1/quarterly-reports/{report.pk}/").status_code == 404


def test_out_of_range_ids_are_404_or_400_never_500(api_a, records):
    assert api_a.get(f"/api/v1/clients/{2**70}/").status_code == 404
    assert api_a.get(f"/api/v1/contacts/?client={2**70}").status_code == 400
    assert api_a.post("/api/v1/contacts/", {"client": 2**70}, format="json").status_code == 400
