"""The benefits session form offers the counselor names of the program's earlier sessions (a datalist,
no JavaScript), never another program's."""

import datetime
import html

import pytest
from django.urls import reverse

from .. import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_sessions(program_a, own_client, other_client):
    neighbour = f.ClientFactory(program=program_a, first_name="Neighbour")
    f.BenefitsCounselingSessionFactory(
        client=own_client, counselor_name="Rosa Delgado", session_date=datetime.date(2026, 6, 1)
    )
    f.BenefitsCounselingSessionFactory(
        client=neighbour, counselor_name="Sam  Ortiz", session_date=datetime.date(2026, 9, 1)
    )
    f.BenefitsCounselingSessionFactory(
        client=neighbour, counselor_name="rosa delgado", session_date=datetime.date(2026, 3, 1)
    )
    f.BenefitsCounselingSessionFactory(
        client=other_client, counselor_name="Outside Counselor", session_date=datetime.date(2026, 10, 1)
    )


def test_new_session_offers_the_programs_counselors_most_recent_first(logged_in, own_client, earlier_sessions):
    page = logged_in.get(reverse("clients:benefits_create", args=[own_client.pk])).content.decode()
    assert 'list="id_counselor_name-suggestions"' in page
    datalist = page.split('<datalist id="id_counselor_name-suggestions">', 1)[1].split("</datalist>", 1)[0]
    assert datalist == '<option value="Sam Ortiz"></option><option value="Rosa Delgado"></option>'
    assert "Outside Counselor" not in page


def test_editing_a_session_offers_them_too(logged_in, own_client, earlier_sessions):
    session = own_client.benefits_sessions.get()
    page = logged_in.get(reverse("clients:benefits_edit", args=[own_client.pk, session.pk])).content.decode()
    assert '<option value="Sam Ortiz"></option>' in page and "Outside Counselor" not in page


def test_names_are_escaped_and_a_new_name_is_accepted(logged_in, own_client):
    f.BenefitsCounselingSessionFactory(client=own_client, counselor_name='Jo "<b>" Kim')
    page = logged_in.get(reverse("clients:benefits_create", args=[own_client.pk])).content.decode()
    assert "<b>" not in page and html.escape('Jo "<b>" Kim') in page
    response = logged_in.post(
        reverse("clients:benefits_create", args=[own_client.pk]),
        {"session_date": "2026-11-30", "counselor_name": "Brand New Name", "counselor_type": "internal"},
    )
    assert response.status_code == 302
    assert own_client.benefits_sessions.filter(counselor_name="Brand New Name").exists()
