"""The persona x route matrix for the Django admin, generated from the admin's registry: a regional
administrator of another region opens none of region A's records (change, history, delete, password)
and sees none of them in any list, while region A's own administrator does (the control)."""

import datetime

import pytest
from django.contrib import admin

from audit.models import AuditEvent
from programs.access import scope_administered
from programs.admin_mixins import ReferenceDataAdmin
from programs.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

MARKER = "Zyxadminmatrix"


@pytest.fixture
def region_a_records(program_a, specialist_a, trainer):
    program_a.name = f"{MARKER} program"
    program_a.save()
    client = f.ClientFactory(program=program_a, first_name=MARKER, last_name=MARKER)
    f.EnrollmentFactory(client=client, specialist=specialist_a)
    f.ContactFactory(client=client, staff=specialist_a)
    profile = f.CareerProfileFactory(client=client)
    f.WorkHistoryEntryFactory(profile=profile)
    plan = f.EmploymentPlanFactory(client=client)
    f.PlanStepFactory(plan=plan)
    f.BenefitsCounselingSessionFactory(client=client)
    f.EducationActivityFactory(client=client)
    employer = f.EmployerFactory(program=program_a, name=f"{MARKER} Bakery")
    job = f.JobStartFactory(client=client, employer=employer, start_date=datetime.date(2026, 2, 2))
    f.EmployerContactFactory(employer=employer, specialist=specialist_a, clients=[client])
    f.FollowAlongSupportFactory(job=job, support_date=datetime.date(2026, 2, 9))
    f.TreatmentTeamFactory(program=program_a, name=f"{MARKER} team")
    review = f.FidelityReviewFactory(
        program=program_a, reviewer_1=trainer, reviewer_2=f.make_user(Role.TRAINER, region=program_a.agency.region)
    )
    f.ActionPlanItemFactory(review=review)
    f.QuarterlyReportFactory(program=program_a)
    f.QuarterlyReportFactory(program=None, region=program_a.agency.region)
    specialist_a.first_name = MARKER
    specialist_a.save()
    return client


def scoped_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ReferenceDataAdmin) and model is not AuditEvent
    ]


def region_a_objects(insider):
    """One record of region A per admin that holds some (as region A's administrator sees them)."""
    out = []
    for model, _ in scoped_admins():
        obj = scope_administered(model._default_manager.all(), insider).first()
        if obj is not None:
            out.append((model, obj))
    return out


def admin_url(model, obj, page):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/{page}/"


def test_another_regions_admin_opens_nothing_of_region_a(client, region_a_records, regional_admin, program_b):
    insider = regional_admin
    outsider = f.make_user(Role.ADMIN, region=program_b.agency.region, username="out_admin", is_staff=True)
    outsider.user_permissions.set(insider.user_permissions.all())
    objects = region_a_objects(insider)
    assert len(objects) >= 20  # the ids are real: region A's admin reaches all of these
    client.force_login(outsider)
    leaks = []
    for model, obj in objects:
        pages = ["change", "history", "delete"] + (["password"] if model._meta.model_name == "user" else [])
        for page in pages:
            response = client.get(admin_url(model, obj, page))
            assert response.status_code != 500, (model, page)
            if response.status_code == 200:
                leaks.append((model._meta.label, page))
        client.post(admin_url(model, obj, "delete"), {"post": "yes"})
        assert model._default_manager.filter(pk=obj.pk).exists(), model
    for model, _ in scoped_admins():
        response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
        assert response.status_code in (200, 403), model
        if MARKER in response.content.decode():
            leaks.append((model._meta.label, "changelist"))
    assert leaks == []


def test_region_as_own_admin_opens_them(client, region_a_records, regional_admin):
    client.force_login(regional_admin)
    opened = [
        model._meta.label
        for model, obj in region_a_objects(regional_admin)
        if client.get(admin_url(model, obj, "change")).status_code == 200
    ]
    assert {"clients.Client", "programs.User", "reports.QuarterlyReport", "jobs.JobStart"} <= set(opened)
    assert len(opened) >= 20
