"""The access layer: nobody reaches another program's records."""

import pytest
from django.http import Http404

from clients.models import BenefitsCounselingSession, Client, Contact, Enrollment
from fidelity.models import FidelityReview
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart
from programs.access import Capability, can, get_scoped_or_404, programs_for, regions_for, roles_of, scope
from programs.models import Membership, Role

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(program_a, program_b):
    """One of each client-level record in both programs."""
    made = {}
    for key, program in (("a", program_a), ("b", program_b)):
        client = f.ClientFactory(program=program)
        job = f.JobStartFactory(client=client)
        made[key] = {
            Client: client,
            Enrollment: f.EnrollmentFactory(client=client),
            Contact: f.ContactFactory(client=client),
            JobStart: job,
            Employer: job.employer,
            EmployerContact: f.EmployerContactFactory(employer=job.employer, clients=[client]),
            FollowAlongSupport: f.FollowAlongSupportFactory(job=job),
            BenefitsCounselingSession: f.BenefitsCounselingSessionFactory(client=client),
            FidelityReview: f.FidelityReviewFactory(program=program),
        }
    return made


CLIENT_MODELS = [
    Client,
    Enrollment,
    Contact,
    JobStart,
    Employer,
    EmployerContact,
    FollowAlongSupport,
    BenefitsCounselingSession,
]


@pytest.mark.parametrize("model", CLIENT_MODELS)
def test_specialist_sees_own_program_records_and_none_of_another(model, records, specialist_a):
    visible = scope(model.objects.all(), specialist_a, Capability.VIEW_CLIENTS)
    assert list(visible) == [records["a"][model]]
    assert not visible.filter(pk=records["b"][model].pk).exists()


def test_specialist_of_program_a_sees_none_of_program_b_clients(records, specialist_a, specialist_b):
    a_clients = set(scope(Client.objects.all(), specialist_a, Capability.VIEW_CLIENTS))
    b_clients = set(scope(Client.objects.all(), specialist_b, Capability.VIEW_CLIENTS))
    assert a_clients == {records["a"][Client]}
    assert b_clients == {records["b"][Client]}


def test_lookup_of_another_programs_client_is_a_404(records, specialist_a):
    other = records["b"][Client]
    with pytest.raises(Http404):
        get_scoped_or_404(Client, specialist_a, Capability.VIEW_CLIENTS, pk=other.pk)
    own = records["a"][Client]
    assert get_scoped_or_404(Client, specialist_a, Capability.VIEW_CLIENTS, pk=own.pk) == own


def test_trainer_sees_region_aggregates_but_no_client_records(records, trainer, program_a, program_b):
    assert list(programs_for(trainer, Capability.VIEW_AGGREGATES)) == [program_a]
    assert not scope(Client.objects.all(), trainer, Capability.VIEW_CLIENTS).exists()
    assert list(scope(FidelityReview.objects.all(), trainer, Capability.REVIEW_FIDELITY)) == [
        records["a"][FidelityReview]
    ]
    assert list(regions_for(trainer, Capability.REVIEW_FIDELITY)) == [program_a.agency.region]


def test_supervisor_manages_own_program_only(supervisor_a, program_a, program_b):
    assert can(supervisor_a, Capability.MANAGE_PROGRAM, program_a)
    assert not can(supervisor_a, Capability.MANAGE_PROGRAM, program_b)
    assert not can(supervisor_a, Capability.REVIEW_FIDELITY, program_a)


def test_specialist_cannot_manage_or_review(specialist_a, program_a):
    assert can(specialist_a, Capability.EDIT_CLIENTS, program_a)
    assert not can(specialist_a, Capability.MANAGE_PROGRAM, program_a)
    assert not can(specialist_a, Capability.REVIEW_FIDELITY, program_a)


def test_global_admin_reaches_every_program(admin_user, program_a, program_b):
    assert set(programs_for(admin_user, Capability.ADMINISTER)) == {program_a, program_b}


def test_regional_admin_reaches_only_their_region(region, program_a, program_b):
    regional = f.make_user(Role.ADMIN, region=region)
    assert list(programs_for(regional, Capability.VIEW_CLIENTS)) == [program_a]


def test_inactive_membership_grants_nothing(specialist_a, program_a, records):
    Membership.objects.filter(user=specialist_a).update(is_active=False)
    assert not scope(Client.objects.all(), specialist_a, Capability.VIEW_CLIENTS).exists()
    assert roles_of(specialist_a) == set()


def test_deactivated_user_sees_nothing(specialist_a, records):
    specialist_a.is_active = False
    assert not programs_for(specialist_a, Capability.VIEW_CLIENTS).exists()


def test_user_without_membership_sees_nothing(records):
    assert not programs_for(f.UserFactory(), Capability.VIEW_AGGREGATES).exists()


def test_scoping_is_one_query_filtered_on_the_users_programs(records, specialist_a, django_assert_num_queries):
    f.ContactFactory(client=records["a"][Client])  # a second contact of program A's client
    with django_assert_num_queries(1) as captured:
        contacts = list(scope(Contact.objects.order_by("pk"), specialist_a, Capability.VIEW_CLIENTS))
    assert contacts == list(Contact.objects.filter(client=records["a"][Client]).order_by("pk")) and len(contacts) == 2
    # The program filter is in that one query: the contact's client's program among the user's memberships.
    sql = captured.captured_queries[0]["sql"]
    assert 'WHERE "clients_client"."program_id" IN (SELECT' in sql, sql
    assert f'"user_id" = {specialist_a.pk}' in sql, sql
