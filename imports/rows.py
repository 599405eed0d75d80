"""One row of each kind, applied through the domain's services (the same rules, audit and access
checks as the pages). Each handler returns what it did: "create", "update" or "unchanged" (the
repeat-import rule: a row matching an existing record by record number and dates writes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clients import services as client_services
from clients.models import Client, Contact, Enrollment
from core.errors import RuleViolation
from jobs import services as job_services
from jobs.models import EmployerContact, JobStart
from programs.models import Program, User
from programs.selectors import specialists_of

Values = dict[str, Any]


@dataclass
class Context:
    program: Program
    user: User
    _clients: dict[str, Client] = field(default_factory=dict)
    _specialists: dict[str, User] | None = None

    def client(self, record_number: str, column: str = "record_number") -> Client:
        if record_number not in self._clients:
            found = Client.objects.filter(program=self.program, record_number=record_number).first()
            if found is None:
                raise RuleViolation({column: f"No client of this program has record number “{record_number}”."})
            self._clients[record_number] = found
        return self._clients[record_number]

    def specialist(self, username: str | None) -> User | None:
        if not username:
            return None
        if self._specialists is None:
            self._specialists = {u.username.lower(): u for u in specialists_of(self.program)}
        found = self._specialists.get(username.lower())
        if found is None:
            raise RuleViolation({"specialist": f"“{username}” is not an employment specialist of this program."})
        return found


def clients_row(v: Values, ctx: Context) -> str:
    specialist = ctx.specialist(v.get("specialist"))
    client = Client.objects.filter(program=ctx.program, record_number=v["record_number"]).first()
    if client is None:
        fields = {
            name: v[name] for name in ("record_number", "first_name", "last_name", "date_of_birth", "diagnosis_group")
        }
        fields.update({name: v.get(name) or "" for name in ("preferred_name", "phone")})
        client = client_services.refer(
            ctx.program, user=ctx.user, referral_date=v["referral_date"], specialist=specialist, **fields
        )
        if v.get("enrollment_date"):
            _enroll(client.enrollments.get(), v, ctx, specialist)
        return "create"
    episode = client.enrollments.filter(referral_date=v["referral_date"]).first()
    if episode is None:
        raise RuleViolation(
            {"referral_date": "This client has no episode referred on this date: re-enroll them on their page."}
        )
    if v.get("enrollment_date") and episode.enrollment_date is None:
        _enroll(episode, v, ctx, specialist)
        return "update"
    if v.get("enrollment_date") and episode.enrollment_date != v["enrollment_date"]:
        raise RuleViolation({"enrollment_date": f"This episode's enrollment date is {episode.enrollment_date}."})
    return "unchanged"


def _enroll(episode: Enrollment, v: Values, ctx: Context, specialist: User | None) -> None:
    client_services.enroll(
        episode,
        user=ctx.user,
        enrollment_date=v["enrollment_date"],
        specialist=specialist,
        employed_at_enrollment=bool(v.get("employed_at_enrollment")),
    )


def contacts_row(v: Values, ctx: Context) -> str:
    client = ctx.client(v["record_number"])
    fields = {
        "contact_date": v["contact_date"],
        "with_whom": v.get("with_whom") or "client",
        "mode": v.get("mode") or "face_to_face",
        "place": v.get("place") or "community",
        "minutes": v.get("minutes"),
        "note": v.get("note") or "",
    }
    if Contact.objects.filter(client=client, **fields).exists():
        return "unchanged"
    client_services.log_contact(client, user=ctx.user, **fields)
    return "create"


def job_starts_row(v: Values, ctx: Context) -> str:
    client = ctx.client(v["record_number"])
    if JobStart.objects.filter(client=client, start_date=v["start_date"], job_title__iexact=v["job_title"]).exists():
        return "unchanged"
    fields = {
        name: v[name]
        for name in ("job_title", "start_date", "hours_per_week", "hourly_wage", "is_competitive", "job_type")
        if v.get(name) is not None
    }
    fields.update({name: v[name] for name in ("occupation_group", "disclosure") if v.get(name)})
    job_services.record_job_start(client, user=ctx.user, employer_name=v["employer_name"], **fields)
    return "create"


def employer_contacts_row(v: Values, ctx: Context) -> str:
    clients = [ctx.client(number, "record_numbers") for number in v.get("record_numbers") or []]
    employer = job_services.find_employer(ctx.program, v["employer_name"])
    fields = {
        "purpose": v.get("purpose") or "introduction",
        "contact_person": v.get("contact_person") or "",
    }
    if (
        employer is not None
        and EmployerContact.objects.filter(employer=employer, contact_date=v["contact_date"], **fields).exists()
    ):
        return "unchanged"
    if employer is None:
        employer, _ = job_services.find_or_create_employer(ctx.program, v["employer_name"], user=ctx.user)
    face_to_face = v.get("face_to_face")
    job_services.log_employer_contact(
        employer,
        user=ctx.user,
        contact_date=v["contact_date"],
        clients=clients,
        face_to_face=True if face_to_face is None else face_to_face,
        outcome=v.get("outcome") or "",
        next_step=v.get("next_step") or "",
        **fields,
    )
    return "create"


HANDLERS: dict[str, Callable[[Values, Context], str]] = {
    "clients": clients_row,
    "contacts": contacts_row,
    "job_starts": job_starts_row,
    "employer_contacts": employer_contacts_row,
}

# A service's field name -> the import column it came from, where they differ.
FIELD_COLUMNS = {
    "employer": "employer_name",
    "clients": "record_numbers",
    "client": "record_number",
    "name": "employer_name",
}
