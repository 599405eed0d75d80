"""The attacks of issue 14 part 2: a regional administrator must not become a global one."""

import pytest

from audit.models import Action, AuditEvent
from programs.models import Membership, Role, User
from reports.models import QuarterlyReport
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_global_admin_membership_cannot_be_self_granted(client, regional_admin, program_b):
    other_client = f.ClientFactory(program=program_b)
    client.force_login(regional_admin)
    response = client.post(
        "/admin/programs/membership/add/", {"user": regional_admin.pk, "role": Role.ADMIN, "is_active": "on"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Membership.objects.filter(user=regional_admin, program=None, region=None).exists()
    assert client.get(f"/clients/{other_client.pk}/").status_code == 404


def test_a_membership_without_program_or_region_is_refused_for_someone_else(client, regional_admin, program_a):
    someone = f.make_user(Role.SPECIALIST, program=program_a)
    client.force_login(regional_admin)
    client.post("/admin/programs/membership/add/", {"user": someone.pk, "role": Role.ADMIN, "is_active": "on"})
    assert list(Membership.objects.filter(user=someone).values_list("role", flat=True)) == [Role.SPECIALIST]


def test_a_membership_in_another_region_is_refused(client, regional_admin, program_a, program_b):
    someone = f.make_user(Role.SPECIALIST, program=program_a)
    client.force_login(regional_admin)
    client.post(
        "/admin/programs/membership/add/",
        {"user": someone.pk, "role": Role.SUPERVISOR, "program": program_b.pk, "is_active": "on"},
    )
    assert not Membership.objects.filter(program=program_b).exists()


def test_the_admin_cannot_make_themselves_superuser(client, regional_admin):
    client.force_login(regional_admin)
    url = f"/admin/programs/user/{regional_admin.pk}/change/"
    assert client.get(url).status_code in (302, 404)
    client.post(url, {"username": regional_admin.username, "is_superuser": "on", "is_staff": "on"})
    regional_admin.refresh_from_db()
    assert not regional_admin.is_superuser


def test_privileges_are_read_only_on_a_user_of_their_region(client, regional_admin, program_a, form_data):
    someone = f.make_user(Role.SPECIALIST, program=program_a, first_name="Before")
    client.force_login(regional_admin)
    url = f"/admin/programs/user/{someone.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200  # their own region's staff: the legitimate work
    data = form_data(response)
    data.update({"first_name": "After", "is_superuser": "on", "is_staff": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    someone.refresh_from_db()
    assert someone.first_name == "After"
    assert not someone.is_superuser and not someone.is_staff
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="programs.user", object_id=str(someone.pk))
    assert event.user == regional_admin and "First name" in str(event.detail)


def test_another_regions_user_and_password_page_do_not_open(client, regional_admin, program_b):
    stranger = f.make_user(Role.SPECIALIST, program=program_b)
    client.force_login(regional_admin)
    for url in (f"/admin/programs/user/{stranger.pk}/change/", f"/admin/programs/user/{stranger.pk}/password/"):
        assert client.get(url).status_code in (302, 404), url
    response = client.post(
        f"/admin/programs/user/{stranger.pk}/password/",
        {"password1": "A-new-passw0rd-long", "password2": "A-new-passw0rd-long", "usable_password": "true"},
    )
    assert response.status_code in (302, 404)
    stranger.refresh_from_db()
    assert not stranger.check_password("A-new-passw0rd-long")
    assert stranger.username not in client.get("/admin/programs/user/").content.decode()


def test_people_with_a_role_elsewhere_or_staff_are_out_of_reach(client, regional_admin, program_a, program_b):
    both = f.make_user(Role.SPECIALIST, program=program_a)
    Membership.objects.create(user=both, role=Role.SPECIALIST, program=program_b)
    colleague = f.make_user(Role.ADMIN, region=program_a.agency.region, is_staff=True)
    client.force_login(regional_admin)
    for user in (both, colleague):
        assert client.get(f"/admin/programs/user/{user.pk}/password/").status_code in (302, 404)


def test_another_regions_report_cannot_be_deleted(client, regional_admin, program_a, program_b):
    theirs = f.QuarterlyReportFactory(program=program_b)
    their_rollup = f.QuarterlyReportFactory(program=None, region=program_b.agency.region)
    ours = f.QuarterlyReportFactory(program=program_a)
    client.force_login(regional_admin)
    for report in (theirs, their_rollup):
        client.post(f"/admin/reports/quarterlyreport/{report.pk}/delete/", {"post": "yes"})
        assert QuarterlyReport.objects.filter(pk=report.pk).exists()
    response = client.post(
        "/admin/reports/quarterlyreport/",
        {"action": "delete_selected", "_selected_action": [theirs.pk, ours.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert QuarterlyReport.objects.filter(pk=theirs.pk).exists()
    assert not QuarterlyReport.objects.filter(pk=ours.pk).exists()
    deleted = AuditEvent.objects.get(action=Action.DELETE, object_type="reports.quarterlyreport")
    assert deleted.object_id == str(ours.pk) and deleted.user == regional_admin


def test_the_regional_rollup_of_their_region_is_listed(client, regional_admin, region, program_b):
    ours = f.QuarterlyReportFactory(program=None, region=region)
    theirs = f.QuarterlyReportFactory(program=None, region=program_b.agency.region)
    client.force_login(regional_admin)
    listed = client.get("/admin/reports/quarterlyreport/").context["cl"].result_list
    assert ours in listed and theirs not in listed


def test_reference_data_is_read_only_for_a_regional_admin(client, regional_admin, superuser):
    f.BenefitsThresholdsFactory(year=2026)
    client.force_login(regional_admin)
    assert client.get("/admin/benchmarks/benefitsthresholds/").status_code == 200
    assert client.get("/admin/benchmarks/benefitsthresholds/add/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403  # a group could carry any permission
    client.force_login(superuser)
    assert client.get("/admin/benchmarks/benefitsthresholds/add/").status_code == 200


def test_superusers_alone_grant_global_roles(client, superuser, program_a):
    someone = f.UserFactory()
    client.force_login(superuser)
    response = client.post(
        "/admin/programs/membership/add/", {"user": someone.pk, "role": Role.ADMIN, "is_active": "on"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=someone, program=None, region=None).exists()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="programs.membership").exists()
    assert User.objects.get(pk=someone.pk).memberships.count() == 1
