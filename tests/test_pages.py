"""Login, home, program pages, admin and the audit trail."""

import io

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent
from programs.models import Membership, Role

from . import factories as f

pytestmark = pytest.mark.django_db


def test_login_page_is_served(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_pages_require_login(client, program_a):
    for url in [reverse("home"), reverse("programs:detail", args=[program_a.code])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_login_records_an_audit_event_and_a_specialist_lands_on_the_caseload(client, specialist_a):
    response = client.post(reverse("login"), {"username": "spec_a", "password": f.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("clients:caseload")
    assert AuditEvent.objects.filter(user=specialist_a, action=Action.LOGIN).count() == 1


def test_a_supervisor_lands_on_the_dashboard(client, supervisor_a):
    response = client.post(reverse("login"), {"username": "super_a", "password": f.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard")
    assert response.status_code == 200


def test_a_trainer_lands_on_the_fidelity_list(client, trainer, program_a):
    response = client.post(reverse("login"), {"username": "trainer_r", "password": f.PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("fidelity:index")
    assert response.status_code == 200


def test_next_and_mixed_roles_keep_their_landing(client, supervisor_a, program_a):
    response = client.post(
        reverse("login") + "?next=" + reverse("jobs:employer_list"),
        {"username": "super_a", "password": f.PASSWORD},
    )
    assert response.url == reverse("jobs:employer_list")
    client.logout()
    # A supervisor who also reviews fidelity has no single daily page: Home offers both.
    Membership.objects.create(user=supervisor_a, role=Role.TRAINER, region=program_a.agency.region)
    response = client.post(reverse("login"), {"username": "super_a", "password": f.PASSWORD})
    assert response.url == reverse("home")


def test_failed_login_keeps_the_username_and_is_audited(client, specialist_a):
    response = client.post(reverse("login"), {"username": "spec_a", "password": "wrong"})
    assert response.status_code == 200
    assert b"didn&#x27;t match" in response.content or b"didn't match" in response.content
    assert b'value="spec_a"' in response.content
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert event.detail == {"username": "spec_a"}


def test_home_lists_only_the_users_programs(client, supervisor_a, program_a, program_b):
    client.force_login(supervisor_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["programs"]) == [program_a]
    assert program_b.name.encode() not in response.content


def test_another_programs_page_is_a_404(client, specialist_a, program_b):
    client.force_login(specialist_a)
    assert client.get(reverse("programs:detail", args=[program_b.code])).status_code == 404


def test_program_page_shows_counts_and_is_audited(client, supervisor_a, specialist_a, program_a):
    f.EnrollmentFactory(client__program=program_a)
    f.EnrollmentFactory(client__program=program_a, enrollment_date=None)  # pending referral, not counted
    client.force_login(supervisor_a)
    response = client.get(reverse("programs:detail", args=[program_a.code]))
    assert response.status_code == 200
    assert response.context["program"].open_enrollments == 1
    assert response.context["program"].specialist_count == 1
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="programs.program").exists()


def test_trainer_sees_region_programs_on_home(client, trainer, program_a, program_b):
    client.force_login(trainer)
    assert list(client.get(reverse("home")).context["programs"]) == [program_a]


def test_home_uses_a_bounded_number_of_queries(client, supervisor_a, program_a, django_assert_max_num_queries):
    for _ in range(30):
        f.EnrollmentFactory(client__program=program_a)
    client.force_login(supervisor_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


def test_admin_works_for_the_administrator_and_audits_views(client, program_a):
    admin = f.UserFactory(username="root_admin", is_staff=True, is_superuser=True)
    c = f.ClientFactory(program=program_a)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    for name in [
        "clients_client",
        "jobs_jobstart",
        "fidelity_fidelityreview",
        "benchmarks_benchmarksettings",
        "benchmarks_benefitsthresholds",
        "programs_program",
        "audit_auditevent",
    ]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:clients_client_change", args=[c.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="clients.client", object_id=str(c.pk)).exists()


def test_regional_admin_sees_only_their_region_in_the_admin(client, region, program_a, program_b):
    from programs.models import Role

    regional = f.make_user(Role.ADMIN, region=region, is_staff=True, is_superuser=True)
    regional.is_superuser = False
    regional.save()
    # Django's own model permissions still apply; grant view on clients.
    from django.contrib.auth.models import Permission

    regional.user_permissions.add(Permission.objects.get(codename="view_client"))
    mine = f.ClientFactory(program=program_a)
    theirs = f.ClientFactory(program=program_b)
    client.force_login(regional)
    response = client.get(reverse("admin:clients_client_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:clients_client_change", args=[theirs.pk])).status_code == 302


def test_health_endpoint(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_admin_changelist_and_add_page_loads_with_demo_data(client):
    """Every model is in the admin; list displays, filters and search all work on real-looking data."""
    from django.apps import apps
    from django.contrib import admin
    from django.core.management import call_command

    ours = {
        m
        for app in ["programs", "clients", "jobs", "fidelity", "reports", "audit"]
        for m in apps.get_app_config(app).get_models()
    }
    assert ours <= set(admin.site._registry)
    call_command("seed_demo", stdout=io.StringIO())
    client.login(username="admin", password="demo-pass-2026")
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        response = client.get(url, {"q": "a"} if model_admin.search_fields else {})
        assert response.status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info
