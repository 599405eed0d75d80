"""Membership dates and FTE (issue 12, item 6): the rules the model and the database keep, and the
period-aware selectors of programs.selectors. Today is the root conftest's 2026-11-30."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import Membership, Role
from programs.selectors import specialists_between, specialists_of, staff_between

from .. import factories as f

D = datetime.date
pytestmark = pytest.mark.django_db


def test_ending_a_membership_sets_its_last_day_and_makes_it_inactive():
    m = f.MembershipFactory(start_date=D(2025, 1, 1))
    m.is_active = False
    m.save()
    m.refresh_from_db()
    assert (m.end_date, m.is_active) == (D(2026, 11, 30), False)
    other = f.MembershipFactory(start_date=D(2025, 1, 1), end_date=D(2026, 3, 31))
    assert other.is_active is False  # an end date is the ending


def test_leaving_and_returning_keeps_both_memberships():
    first = f.MembershipFactory(start_date=D(2025, 1, 1), end_date=D(2025, 6, 30))
    again = Membership(user=first.user, role=Role.SPECIALIST, program=first.program, start_date=D(2025, 9, 1))
    again.full_clean()
    again.save()
    assert Membership.objects.filter(user=first.user).count() == 2
    # Jul-Aug 2025: away; the quarters either side count them.
    program = first.program
    assert first.user not in specialists_between(program, D(2025, 7, 1), D(2025, 8, 31))
    assert first.user in specialists_between(program, D(2025, 4, 1), D(2025, 6, 30))
    assert first.user in specialists_between(program, D(2025, 8, 31), D(2025, 9, 1))
    assert first.user in specialists_of(program)  # today: the open membership


def test_overlapping_memberships_of_one_role_are_refused():
    first = f.MembershipFactory(start_date=D(2025, 1, 1), end_date=D(2025, 6, 30))
    overlap = Membership(user=first.user, role=Role.SPECIALIST, program=first.program, start_date=D(2025, 6, 30))
    with pytest.raises(ValidationError) as error:
        overlap.full_clean()
    assert "start_date" in error.value.message_dict


def test_two_open_memberships_of_one_role_are_refused_by_the_database():
    first = f.MembershipFactory(start_date=D(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=first.user, role=Role.SPECIALIST, program=first.program, start_date=D(2026, 1, 1)
        )


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"start_date": D(2026, 12, 1)}, "start_date"),  # tomorrow
        ({"start_date": D(2025, 1, 1), "end_date": D(2026, 12, 1)}, "end_date"),
        ({"start_date": D(2025, 1, 1), "end_date": D(2024, 12, 31)}, "end_date"),
        ({"start_date": D(2025, 1, 1), "fte": "0.05"}, "fte"),
        ({"start_date": D(2025, 1, 1), "fte": "1.5"}, "fte"),
    ],
)
def test_bad_dates_and_fte_are_field_errors(fields, field):
    m = Membership(user=f.UserFactory(), role=Role.SPECIALIST, program=f.ProgramFactory(), **fields)
    with pytest.raises(ValidationError) as error:
        m.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize("fields", [{"end_date": D(2024, 12, 31)}, {"fte": "0"}, {"fte": "1.01"}])
def test_the_database_refuses_an_end_before_the_start_and_an_fte_out_of_range(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.MembershipFactory(start_date=D(2025, 1, 1), **fields)


def test_staff_between_counts_supervisors_and_specialists_in_force():
    program = f.ProgramFactory()
    sup = f.make_user(Role.SUPERVISOR, program=program, start_date=D(2026, 10, 1))
    spec = f.make_user(Role.SPECIALIST, program=program)
    assert set(staff_between(program, D(2026, 7, 1), D(2026, 9, 30))) == {spec}
    assert set(staff_between(program, D(2026, 7, 1), D(2026, 10, 1))) == {spec, sup}


def test_the_admin_edits_dates_and_fte_and_refuses_a_future_end(client):
    superuser = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    program, someone = f.ProgramFactory(), f.UserFactory()
    client.force_login(superuser)
    add = {"user": someone.pk, "role": Role.SPECIALIST, "program": program.pk, "start_date": "2026-03-02", "fte": "0.5"}
    assert client.post("/admin/programs/membership/add/", add).status_code == 302
    m = Membership.objects.get(user=someone)
    assert (m.start_date, m.fte, m.is_active) == (D(2026, 3, 2), Decimal("0.50"), True)
    url = f"/admin/programs/membership/{m.pk}/change/"
    response = client.post(url, {**add, "end_date": "2026-12-01"})  # tomorrow
    assert response.status_code == 200 and "end_date" in response.context["adminform"].form.errors
    assert client.post(url, {**add, "end_date": "2026-10-30"}).status_code == 302
    m.refresh_from_db()
    assert (m.end_date, m.is_active) == (D(2026, 10, 30), False)
