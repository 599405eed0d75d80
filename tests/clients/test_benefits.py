"""Benefits counseling sessions (checkboxes, the next review after the session) and the SSA amounts of the
session's year (benchmarks.BenefitsThresholds) beside the form and in the record's benefits section."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import Action
from benchmarks.models import BenefitsThresholds
from clients.models import BenefitsCounselingSession

from .. import factories as f
from .support import ago, audited, iso, today

pytestmark = pytest.mark.django_db


def amounts(year, sga):
    return BenefitsThresholds.objects.update_or_create(
        year=year,
        defaults={
            "sga_monthly_non_blind": Decimal(sga),
            "sga_monthly_blind": Decimal("2830.00") + year - 2020,
            "trial_work_month": Decimal("1210.00"),
            "ssi_federal_benefit_rate": Decimal("994.00"),
        },
    )[0]


def test_benefits_session_with_checkboxes_and_review_after_session(logged_in, own_client):
    url = reverse("clients:benefits_create", args=[own_client.pk])
    page = logged_in.get(url).content.decode()
    assert page.count('name="benefits_held"') == 9
    data = {
        "session_date": iso(ago(3)),
        "counselor_name": "Ada Planner",
        "counselor_type": "wipa",
        "benefits_held": ["ssi", "medicaid"],
        "work_incentives_discussed": ["twp", "1619b"],
        "written_plan_given": "on",
        "next_review_date": iso(ago(4)),
        "notes": "",
    }
    response = logged_in.post(url, data)
    assert "next review" in str(response.context["form"].errors["next_review_date"])
    assert 'value="ssi"' in response.content.decode() and "checked" in response.content.decode()
    assert logged_in.post(url, {**data, "next_review_date": iso(ago(3))}).status_code == 302
    session = BenefitsCounselingSession.objects.get(client=own_client)
    assert session.benefits_held == ["ssi", "medicaid"] and session.work_incentives_discussed == ["twp", "1619b"]
    assert audited(Action.CREATE, session)
    edit = reverse("clients:benefits_edit", args=[own_client.pk, session.pk])
    version = logged_in.get(edit).context["form"].initial["version"]
    response = logged_in.post(edit, {**data, "next_review_date": "", "benefits_held": ["ssdi"], "version": version})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.benefits_held == ["ssdi"] and audited(Action.UPDATE, session)


def test_the_form_shows_this_years_ssa_amounts(logged_in, own_client):
    amounts(today().year, "1690.00")
    amounts(today().year - 1, "1111.00")
    response = logged_in.get(reverse("clients:benefits_create", args=[own_client.pk]))
    assert response.context["ssa"].year == today().year
    page = response.content.decode()
    assert f"SSA monthly amounts for {today().year}" in page
    assert "$1,690.00" in page and f"${2830 + today().year - 2020:,}.00" in page  # SGA non-blind and blind
    assert "$1,210.00" in page and "$994.00" in page  # trial work month, SSI federal benefit rate
    assert "$1,111.00" not in page  # never another year's


def test_editing_a_session_shows_the_amounts_of_its_year(logged_in, own_client):
    amounts(2025, "1620.00")
    amounts(today().year, "1690.00")
    session = f.BenefitsCounselingSessionFactory(client=own_client, session_date=today().replace(year=2025, day=1))
    page = logged_in.get(reverse("clients:benefits_edit", args=[own_client.pk, session.pk])).content.decode()
    assert "SSA monthly amounts for 2025" in page and "$1,620.00" in page and "$1,690.00" not in page


def test_a_year_without_amounts_is_said_plainly(logged_in, own_client):
    BenefitsThresholds.objects.filter(year=today().year).delete()
    page = logged_in.get(reverse("clients:benefits_create", args=[own_client.pk])).content.decode()
    assert f"No SSA amounts are recorded for {today().year}" in page
    assert "SGA (not blind)" not in page


def test_the_record_shows_the_amounts_of_the_latest_sessions_year(logged_in, own_client):
    record_url = reverse("clients:client_detail", args=[own_client.pk])
    BenefitsThresholds.objects.filter(year=today().year).delete()
    assert f"No SSA amounts are recorded for {today().year}" in logged_in.get(record_url).content.decode()
    amounts(2025, "1620.00")
    f.BenefitsCounselingSessionFactory(client=own_client, session_date=today().replace(year=2024, day=1))
    f.BenefitsCounselingSessionFactory(client=own_client, session_date=today().replace(year=2025, day=1))
    response = logged_in.get(record_url)
    assert response.context["benefits_amounts"].year == 2025
    section = response.content.decode().split('id="benefits"')[1]
    assert "SSA monthly amounts for 2025" in section and "$1,620.00" in section
