"""Prints for clients: the employment plan and career profile as a page and a PDF, in plain language,
scoped (another program's client is a 404) and audited as disclosures."""

import html as markup

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db


def exports(client_record):
    return AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(client_record.pk))


def test_plan_page_shows_goal_steps_who_and_dates_in_plain_words(client, specialist_a, plan_client):
    client.force_login(specialist_a)
    response = client.get(reverse("clients:print_plan", args=[plan_client.pk]))
    assert response.status_code == 200
    html = markup.unescape(response.content.decode())
    assert "Marlo's employment plan" in html
    assert "Work part time in a bakery" in html
    assert "Visit two bakeries on Main Street" in html and "December 4, 2026" in html
    assert "Your employment specialist, Dana Okafor" in html
    assert "Your benefits planner" in html and "Done November 20, 2026" in html
    assert "by January 5, 2027" in html
    # No internal codes: record number, step owner codes, diagnosis.
    assert "MRN-40417" not in html and "benefits_planner" not in html and "Bipolar" not in html
    assert reverse("clients:print_plan_pdf", args=[plan_client.pk]) in html


def test_plan_page_is_audited_as_a_print_disclosure(client, specialist_a, plan_client):
    client.force_login(specialist_a)
    client.get(reverse("clients:print_plan", args=[plan_client.pk]))
    event = exports(plan_client).get()
    assert event.detail == {"disclosure": "print", "document": "employment plan", "format": "html"}
    assert event.user == specialist_a and event.program_id == plan_client.program_id


def test_plan_pdf_is_letter_tagged_has_steps_and_is_audited(client, specialist_a, plan_client, pdf_tool):
    client.force_login(specialist_a)
    response = client.get(reverse("clients:print_plan_pdf", args=[plan_client.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # The file is named after the day it was printed (today, whatever day the suite is pinned to).
    filename = f'filename="employment-plan-marlo-{timezone.localdate().isoformat()}.pdf"'
    assert filename in response["Content-Disposition"]
    text = " ".join(pdf_tool("pdftotext", response.content).split())
    assert "Visit two bakeries on Main Street" in text and "Ask the bakery owners about openings" in text
    assert "MRN-40417" not in text
    info = " ".join(pdf_tool("pdfinfo", response.content).split())
    assert "Page size: 612 x 792 pts (letter)" in info and "Tagged: yes" in info
    assert exports(plan_client).get().detail["format"] == "pdf"


def test_profile_page_and_pdf_in_plain_words(client, specialist_a, plan_client, pdf_tool):
    client.force_login(specialist_a)
    html = markup.unescape(client.get(reverse("clients:print_profile", args=[plan_client.pk])).content.decode())
    assert "The work I want" in html and "Bake bread early in the morning" in html
    assert "How I get to work" in html and "Bus line 4" in html
    assert "Kitchen helper at Corner Cafe" in html and "November 2, 2026" in html
    assert "MRN-40417" not in html
    response = client.get(reverse("clients:print_profile_pdf", args=[plan_client.pk]))
    text = " ".join(pdf_tool("pdftotext", response.content).split())
    assert "Bake bread early in the morning" in text and "Kitchen helper at Corner Cafe" in text
    details = sorted((e.detail["document"], e.detail["format"]) for e in exports(plan_client))
    assert details == [("career profile", "html"), ("career profile", "pdf")]


@pytest.mark.parametrize("name", ["print_plan", "print_plan_pdf", "print_profile", "print_profile_pdf"])
def test_another_programs_client_is_a_404_and_nothing_is_disclosed(client, specialist_a, outside_client, name):
    client.force_login(specialist_a)
    assert client.get(reverse(f"clients:{name}", args=[outside_client.pk])).status_code == 404
    assert not exports(outside_client).exists()


def test_login_required(client, plan_client):
    response = client.get(reverse("clients:print_plan", args=[plan_client.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_nothing_to_print_says_so_and_is_no_disclosure(client, specialist_a, program_a, pdf_tool):
    from .. import factories as f

    bare = f.ClientFactory(program=program_a, first_name="Ada")
    client.force_login(specialist_a)
    page = client.get(reverse("clients:print_plan", args=[bare.pk]))
    assert page.status_code == 200 and "There is no current employment plan to print yet." in page.content.decode()
    assert client.get(reverse("clients:print_profile_pdf", args=[bare.pk])).status_code == 404
    assert not exports(bare).exists()


def test_client_record_links_to_both_prints(client, specialist_a, plan_client):
    client.force_login(specialist_a)
    html = client.get(reverse("clients:client_detail", args=[plan_client.pk])).content.decode()
    assert reverse("clients:print_plan", args=[plan_client.pk]) in html
    assert reverse("clients:print_profile", args=[plan_client.pk]) in html
