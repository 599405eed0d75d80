"""My job development: this week's face-to-face contacts against the target, nine week bars, one-tap
recent employers, and the contacts of this week and last with their edit links, on every day of the week
(on a Monday, last Friday's contact is still there to correct)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import BenchmarkSettings
from programs.models import Role

from .. import factories as f
from .support import DAY

pytestmark = pytest.mark.django_db

A_WEEK = [datetime.date(2026, 11, 30) + n * DAY for n in range(7)]  # Monday 30 November to Sunday 6 December


def edit_url(contact):
    return reverse("jobs:employer_contact_edit", args=[contact.pk])


def test_job_development_shows_my_week_against_the_target(web, specialist_a, employer_a, today, program_a):
    monday = today - datetime.timedelta(days=today.weekday())
    for _ in range(2):
        f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=monday)
    f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=monday, face_to_face=False)
    colleague = f.make_user(Role.SPECIALIST, program=program_a)
    f.EmployerContactFactory(employer=employer_a, specialist=colleague, contact_date=monday)
    response = web.get(reverse("jobs:job_development"))
    assert response.status_code == 200
    this_week = response.context["this_week"]
    assert (this_week.face_to_face, this_week.total, this_week.target) == (2, 3, 6)
    assert len(response.context["weeks"]) == 9
    assert len(response.context["contacts"]) == 3
    html = response.content.decode()
    assert "4 more to reach the target" in html
    assert 'id="weekly-table"' in html


def test_job_development_target_comes_from_the_benchmark_settings(web):
    settings = BenchmarkSettings.current()
    settings.employer_contacts_per_week = 4
    settings.save()
    response = web.get(reverse("jobs:job_development"))
    assert response.context["target"] == 4
    assert "Target: 4 face-to-face" in response.content.decode()


def test_job_development_offers_my_recent_employers_first(web, specialist_a, employer_a, program_a, today):
    diner = f.EmployerFactory(program=program_a, name="Harbor Lights Diner")
    f.EmployerFactory(program=program_a, name="Never Visited Ltd")
    f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=today - 20 * DAY)
    f.EmployerContactFactory(employer=diner, specialist=specialist_a, contact_date=today - 2 * DAY)
    colleague = f.make_user(Role.SPECIALIST, program=program_a)
    f.EmployerContactFactory(employer=f.EmployerFactory(program=program_a, name="Colleague Co"), specialist=colleague)
    response = web.get(reverse("jobs:job_development"))
    assert [e.name for e in response.context["recent"]] == ["Harbor Lights Diner", "The Corner Bakery, Inc."]
    assert f'data-pick-employer="{diner.pk}"' in response.content.decode()


def test_edit_link_of_a_contact_two_days_old(web, contact_a):
    """The contact fixture is two days old: last week's on a Monday or a Tuesday, listed all the same."""
    assert edit_url(contact_a) in web.get(reverse("jobs:job_development")).content.decode()


@pytest.mark.parametrize("day", A_WEEK, ids=lambda day: f"{day:%a}")
def test_this_weeks_and_last_weeks_contacts_can_be_corrected_on_any_day(
    client, time_machine, specialist_a, employer_a, day
):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(10), timezone.get_current_timezone()))
    assert timezone.localdate() == day
    client.force_login(specialist_a)  # signed in on that day (sessions are short)
    monday = day - datetime.timedelta(days=day.weekday())

    def logged(on, **fields):
        return f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=on, **fields)

    this_monday = logged(monday)
    last_friday = logged(monday - 3 * DAY, contact_person="Friday's manager")
    last_monday = logged(monday - 7 * DAY)
    too_old = logged(monday - 8 * DAY)  # the Sunday of the week before last
    response = client.get(reverse("jobs:job_development"))
    page = response.content.decode()
    for contact in (this_monday, last_friday, last_monday):
        assert edit_url(contact) in page, contact.contact_date
    assert edit_url(too_old) not in page
    this_week, last_week = response.context["contact_weeks"]
    assert [c.pk for c in this_week[1]] == [this_monday.pk]
    assert {c.pk for c in last_week[1]} == {last_friday.pk, last_monday.pk}
    # The week bars still count against the target, this week first.
    weeks = response.context["weeks"]
    assert (weeks[0].start, weeks[0].face_to_face, weeks[1].face_to_face, weeks[2].face_to_face) == (monday, 1, 2, 1)
    assert "No employer contacts logged last week" not in page


def test_an_empty_last_week_says_so(web, specialist_a, employer_a, today):
    f.EmployerContactFactory(employer=employer_a, specialist=specialist_a, contact_date=today)
    page = web.get(reverse("jobs:job_development")).content.decode()
    assert "No employer contacts logged last week." in page
    assert "No employer contacts logged this week yet." not in page
