"""Follow-along supports: record one (today and me by default), correct or delete it (audited), refused
by its rules and under the optimistic lock; the supervisor of the program may correct it too."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from jobs.models import FollowAlongSupport

from .support import DAY, field_errors, resolve, support_data

pytestmark = pytest.mark.django_db


def support_url(support):
    return reverse("jobs:support_edit", args=[support.pk])


def test_support_is_recorded(web, job_a, specialist_a, today):
    data = {
        "support_date": today.isoformat(),
        "provider": "specialist",
        "staff": specialist_a.pk,
        "description": "Visited at the end of the shift",
        "minutes": "30",
    }
    response = web.post(reverse("jobs:support_create", args=[job_a.pk]), data)
    assert response.status_code == 302
    support = FollowAlongSupport.objects.get(job=job_a)
    assert support.staff == specialist_a and support.minutes == 30
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="jobs.followalongsupport").exists()


def test_support_form_defaults_to_today_and_me(web, job_a, specialist_a, today):
    form = web.get(reverse("jobs:support_create", args=[job_a.pk])).context["form"]
    assert form.initial["support_date"] == today
    assert form.initial["staff"] == specialist_a.pk


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"support_date": "BEFORE_JOB"}, "support_date"),
        ({"support_date": "FUTURE"}, "support_date"),
        ({"description": ""}, "description"),
        ({"minutes": "1441"}, "minutes"),
        ({"staff": "OTHER_PROGRAM"}, "staff"),
    ],
)
def test_invalid_support(web, job_a, specialist_b, today, overrides, field):
    data = {
        "support_date": today.isoformat(),
        "provider": "specialist",
        "description": "Visited at the end of the shift",
        "minutes": "30",
    }
    overrides = resolve(
        overrides,
        BEFORE_JOB=(job_a.start_date - DAY).isoformat(),
        FUTURE=(today + DAY).isoformat(),
        OTHER_PROGRAM=specialist_b.pk,
    )
    data.update(overrides)
    response = web.post(reverse("jobs:support_create", args=[job_a.pk]), data)
    assert response.status_code == 200
    assert field_errors(response, field)
    assert not FollowAlongSupport.objects.exists()


def test_support_edit_saves_and_goes_back_to_the_client(web, support_a, client_a, today):
    assert web.get(support_url(support_a)).status_code == 200
    data = support_data(support_a, support_date=(today - 4 * DAY).isoformat(), provider="family", minutes="45")
    response = web.post(support_url(support_a), {**data, "description": "Family drove to the first shift"})
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])
    support_a.refresh_from_db()
    assert (support_a.support_date, support_a.provider, support_a.minutes) == (today - 4 * DAY, "family", 45)
    assert support_a.description == "Family drove to the first shift"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="jobs.followalongsupport").exists()


def test_support_edit_invalid_keeps_the_input(web, support_a, job_a):
    before = (job_a.start_date - DAY).isoformat()
    response = web.post(support_url(support_a), support_data(support_a, support_date=before, minutes="2000"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "support_date" in form.errors and "minutes" in form.errors
    assert f'value="{before}"' in response.content.decode()
    support_a.refresh_from_db()
    assert support_a.minutes == 30


def test_support_edit_conflict(web, client, support_a, supervisor_a, specialist_a):
    opened = support_data(support_a)
    client.force_login(supervisor_a)
    assert client.post(support_url(support_a), {**opened, "description": "Theirs"}).status_code == 302
    client.force_login(specialist_a)
    response = client.post(support_url(support_a), {**opened, "description": "Mine"})
    assert response.status_code == 200
    changes = {label: (theirs, mine) for label, theirs, mine in response.context["form"].conflict_changes}
    assert changes["What support"] == ("Theirs", "Mine")
    support_a.refresh_from_db()
    assert support_a.description == "Theirs"


def test_support_delete_confirms_deletes_and_audits(web, support_a, program_a, client_a):
    url = reverse("jobs:support_delete", args=[support_a.pk])
    assert "Delete this record?" in web.get(url).content.decode()
    pk = support_a.pk
    response = web.post(url, {"reason": "Logged twice"})
    assert response.status_code == 302
    assert response.url == reverse("clients:client_detail", args=[client_a.pk])
    assert not FollowAlongSupport.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=Action.DELETE, object_type="jobs.followalongsupport")
    assert (event.object_id, event.program_id) == (str(pk), program_a.pk)


def test_client_record_links_to_support_edit(web, support_a, client_a):
    page = web.get(reverse("clients:client_detail", args=[client_a.pk])).content.decode()
    assert support_url(support_a) in page


def test_supervisor_of_the_program_may_correct(client, supervisor_a, support_a, today):
    client.force_login(supervisor_a)
    assert client.get(support_url(support_a)).status_code == 200
    data = support_data(support_a, description="Supervisor checked the hours", minutes="40")
    response = client.post(support_url(support_a), {**data, "support_date": (today - 6 * DAY).isoformat()})
    assert response.status_code == 302
    support_a.refresh_from_db()
    assert (support_a.description, support_a.minutes, support_a.support_date) == (
        "Supervisor checked the hours",
        40,
        today - 6 * DAY,
    )
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="jobs.followalongsupport")
    assert (event.user, event.object_id, event.path) == (supervisor_a, str(support_a.pk), support_url(support_a))


def test_specialist_of_another_program_gets_a_404_and_changes_nothing(client, outsider, support_a):
    client.force_login(outsider)
    assert client.get(support_url(support_a)).status_code == 404
    assert client.post(support_url(support_a), support_data(support_a, description="x")).status_code == 404
    support_a.refresh_from_db()
    assert support_a.description == "Met the shift lead"
