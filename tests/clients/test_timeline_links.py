"""The timeline's employer contacts and supports link to the pages that correct them."""

import pytest
from django.urls import reverse

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_timeline_entries_link_to_their_edit_pages(client, program_a, specialist_a):
    person = f.ClientFactory(program=program_a)
    f.EnrollmentFactory(client=person, specialist=specialist_a)
    employer = f.EmployerFactory(program=program_a)
    contact = f.EmployerContactFactory(employer=employer, specialist=specialist_a, clients=[person])
    job = f.JobStartFactory(client=person, employer=employer)
    support = f.FollowAlongSupportFactory(job=job)
    client.force_login(specialist_a)
    html = client.get(reverse("clients:client_timeline", args=[person.pk])).content.decode()
    assert reverse("jobs:employer_contact_edit", args=[contact.pk]) in html
    assert reverse("jobs:support_edit", args=[support.pk]) in html
