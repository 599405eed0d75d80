"""Prints for clients: the employment plan and the career profile as a printable page and a PDF.

IPS is client-driven, so the client keeps a copy of both. They are written to the client in plain
language: "you" for the client, people named by what they do, no record numbers or internal codes.
Each print is a disclosure of the record and is audited as one (Action.EXPORT, detail "disclosure":
"print"), the entries the accounting of disclosures lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from audit.models import Action
from audit.services import record
from core.pdf import pdf_response

from .models import CareerProfile, Client, EmploymentPlan, Enrollment, StepOwner
from .views import client_or_404

# Who does a step, said to the client.
WHO = {
    StepOwner.CLIENT: "You",
    StepOwner.SPECIALIST: "Your employment specialist",
    StepOwner.MH_TEAM: "Your mental health team",
    StepOwner.FAMILY: "Your family or supporter",
    StepOwner.BENEFITS_PLANNER: "Your benefits planner",
    StepOwner.VR_COUNSELOR: "Your vocational rehabilitation counselor",
}

# The career profile's fields, in the order and words the client reads them.
PROFILE_PARTS = [
    ("work_goals", "The work I want"),
    ("preferred_job_types", "Jobs I am interested in"),
    ("preferred_hours", "Hours I want to work"),
    ("preferred_setting", "The kind of workplace I like"),
    ("preferred_location", "Where I want to work"),
    ("skills_and_strengths", "My skills and strengths"),
    ("education_and_licences", "My schooling, training and licenses"),
    ("current_adjustment", "What helps me at work"),
    ("transportation", "How I get to work"),
    ("benefits_summary", "My benefits"),
    ("support_network", "People who support me"),
    ("disclosure_preferences", "What I want employers to know about my health"),
]


@dataclass(frozen=True)
class PrintStep:
    what: str
    who: str
    by: Any
    done_on: Any


@dataclass(frozen=True)
class PlanPrint:
    goal: str
    started: Any
    review: Any
    steps: list[PrintStep] = field(default_factory=list)


def _specialist_name(client: Client) -> str:
    enrollment = (
        Enrollment.objects.filter(client=client, closure_date__isnull=True, specialist__isnull=False)
        .select_related("specialist")
        .order_by("-referral_date")
        .first()
    )
    specialist = enrollment.specialist if enrollment else None
    return specialist.get_full_name() if specialist else ""


def plan_print(client: Client) -> PlanPrint | None:
    """The client's current plan in plain words, or None without one."""
    plan = EmploymentPlan.objects.filter(client=client, is_current=True).first()
    if plan is None:
        return None
    specialist = _specialist_name(client)
    steps = []
    for step in plan.steps.all():
        who = WHO.get(StepOwner(step.responsible), step.get_responsible_display())
        if step.responsible == StepOwner.SPECIALIST and specialist:
            who = f"{who}, {specialist}"
        steps.append(PrintStep(step.description, who, step.target_date, step.completed_on))
    return PlanPrint(plan.goal, plan.start_date, plan.review_date, steps)


def profile_print(client: Client) -> dict[str, Any] | None:
    """The client's career profile in plain words, or None without one."""
    profile = CareerProfile.objects.filter(client=client).first()
    if profile is None:
        return None
    parts = [(label, getattr(profile, name)) for name, label in PROFILE_PARTS if getattr(profile, name)]
    return {"parts": parts, "jobs": list(profile.work_history.all()), "reviewed": profile.last_reviewed}


DOCUMENTS = {
    "plan": ("employment plan", "clients/_print_plan_body.html", plan_print),
    "profile": ("career profile", "clients/_print_profile_body.html", profile_print),
}


def _print(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    client = client_or_404(request, pk)
    document, body_template, build = DOCUMENTS[kind]
    content = build(client)
    context = {
        "client": client,
        "name": client.preferred_name or client.first_name,
        "full_name": f"{client.first_name} {client.last_name}",
        "document": document,
        "content": content,
        "printed": timezone.localdate(),
        "body_template": body_template,  # one page and one PDF template for both documents
        "pdf_url": reverse(f"clients:print_{kind}_pdf", args=[client.pk]),
    }
    if content is None:
        if fmt == "pdf":
            raise Http404(f"No {document} to print.")
        record(request, Action.VIEW, client, detail={"print": document, "empty": True})
        return render(request, "clients/print_page.html", context)
    record(request, Action.EXPORT, client, detail={"disclosure": "print", "document": document, "format": fmt})
    if fmt == "pdf":
        filename = f"{slugify(document)}-{slugify(context['name'])}-{context['printed']:%Y-%m-%d}.pdf"
        return pdf_response("clients/print_pdf.html", context, request, filename)
    return render(request, "clients/print_page.html", context)


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "plan", "html")


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "plan", "pdf")


@login_required
def profile_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "profile", "html")


@login_required
def profile_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _print(request, pk, "profile", "pdf")
