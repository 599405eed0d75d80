"""What each kind of import reads: its columns (name, type, whether required, what it means, other
names it is known by in programs' spreadsheets). The downloadable template and the documentation
page are generated from these lists, so they cannot drift from what the import accepts."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import models

from clients.models import ContactMode, ContactPlace, ContactWith, DiagnosisGroup
from jobs.models import ContactPurpose, Disclosure, JobType, OccupationGroup


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, date, bool, int, decimal, choice, list
    help: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    aliases: tuple[str, ...] = ()
    example: str = ""
    places: int = 2  # a decimal's digits after the point (as its model field)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    matching: str  # how a row is matched to an existing record (the repeat-import rule)
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def template_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.name for c in self.columns])
        writer.writerow([c.example for c in self.columns])
        return out.getvalue()


RECORD = Column(
    "record_number",
    "text",
    "The program's own client number (matches the client).",
    required=True,
    aliases=("record no", "record", "client number", "client id", "client no", "mrn"),
    example="A-1001",
)

KINDS: dict[str, Kind] = {
    k.key: k
    for k in [
        Kind(
            "clients",
            "Clients with their enrollment",
            "A client is matched by record number; their episode by referral date. A known client and "
            "episode is left as it is, except that an enrollment date is added to an episode without one.",
            (
                RECORD,
                Column("first_name", "text", "First name.", True, aliases=("first", "given name"), example="Dana"),
                Column(
                    "last_name", "text", "Last name.", True, aliases=("last", "surname", "family name"), example="Ruiz"
                ),
                Column(
                    "date_of_birth",
                    "date",
                    "YYYY-MM-DD.",
                    True,
                    aliases=("dob", "birth date", "birthdate"),
                    example="1990-04-12",
                ),
                Column(
                    "diagnosis_group", "choice", "Diagnosis group.", True, DiagnosisGroup, ("diagnosis",), "depression"
                ),
                Column("preferred_name", "text", "Name the client goes by."),
                Column("phone", "text", "Phone number.", aliases=("telephone", "phone number"), example="555-0100"),
                Column(
                    "referral_date",
                    "date",
                    "YYYY-MM-DD, not in the future.",
                    True,
                    aliases=("referred", "referral"),
                    example="2026-09-01",
                ),
                Column(
                    "enrollment_date",
                    "date",
                    "YYYY-MM-DD, on or after the referral.",
                    aliases=("enrolled", "enrollment", "start date"),
                    example="2026-09-08",
                ),
                Column(
                    "specialist",
                    "text",
                    "Username of one of the program's employment specialists.",
                    aliases=("employment specialist", "es"),
                    example="",
                ),
                Column(
                    "employed_at_enrollment",
                    "bool",
                    "yes / no.",
                    aliases=("employed at enrollment", "working at enrollment"),
                    example="no",
                ),
            ),
        ),
        Kind(
            "contacts",
            "Contacts with clients",
            "A contact is matched by client, date, with whom, mode, minutes and note.",
            (
                RECORD,
                Column(
                    "contact_date",
                    "date",
                    "YYYY-MM-DD, not in the future.",
                    True,
                    aliases=("date",),
                    example="2026-10-05",
                ),
                Column(
                    "with_whom",
                    "choice",
                    "Who the contact was with (default: client).",
                    choices=ContactWith,
                    example="client",
                ),
                Column(
                    "mode",
                    "choice",
                    "How it happened (default: face to face).",
                    choices=ContactMode,
                    example="face_to_face",
                ),
                Column("place", "choice", "Where (default: community).", choices=ContactPlace, example="community"),
                Column("minutes", "int", "Length in minutes.", aliases=("duration",), example="30"),
                Column(
                    "note", "text", "What happened.", aliases=("notes", "comment"), example="Job search at the library"
                ),
            ),
        ),
        Kind(
            "job_starts",
            "Job starts",
            "A job is matched by client, start date and job title.",
            (
                RECORD,
                Column(
                    "employer_name",
                    "text",
                    "The employer (matched by name, created when new).",
                    True,
                    aliases=("employer",),
                    example="Corner Bakery",
                ),
                Column(
                    "job_title", "text", "Job title.", True, aliases=("title", "position"), example="Baker's assistant"
                ),
                Column(
                    "start_date",
                    "date",
                    "YYYY-MM-DD; the client has an open enrollment then.",
                    True,
                    aliases=("job start", "started"),
                    example="2026-10-12",
                ),
                Column("hours_per_week", "decimal", "Hours a week.", aliases=("hours",), example="20", places=1),
                Column("hourly_wage", "decimal", "Wage per hour.", aliases=("wage",), example="16.50"),
                Column(
                    "is_competitive",
                    "bool",
                    "A competitive job (yes / no; default yes).",
                    aliases=("competitive",),
                    example="yes",
                ),
                Column("job_type", "choice", "Permanent, temporary...", choices=JobType, example="permanent"),
                Column("occupation_group", "choice", "Occupation group code.", choices=OccupationGroup),
                Column("disclosure", "choice", "Disclosure to the employer.", choices=Disclosure, example="none"),
            ),
        ),
        Kind(
            "employer_contacts",
            "Employer contacts",
            "A contact is matched by employer, date, purpose and contact person; it is logged as made by you.",
            (
                Column(
                    "employer_name",
                    "text",
                    "The employer (matched by name, created when new).",
                    True,
                    aliases=("employer",),
                    example="Corner Bakery",
                ),
                Column(
                    "contact_date",
                    "date",
                    "YYYY-MM-DD, not in the future.",
                    True,
                    aliases=("date",),
                    example="2026-10-02",
                ),
                Column(
                    "purpose",
                    "choice",
                    "Purpose of the contact (default: introduction).",
                    choices=ContactPurpose,
                    example="introduction",
                ),
                Column("face_to_face", "bool", "yes / no (default yes).", aliases=("in person",), example="yes"),
                Column(
                    "contact_person", "text", "Whom you met.", aliases=("person", "contact"), example="M. Osei, manager"
                ),
                Column("outcome", "text", "What came of it.", example="Will call back about a morning shift"),
                Column("next_step", "text", "What happens next."),
                Column(
                    "record_numbers",
                    "list",
                    "Record numbers of the clients it was about, separated by ;",
                    aliases=("clients",),
                    example="",
                ),
            ),
        ),
    ]
}


def normalise(header: object) -> str:
    """Header matching ignores case, spacing, underscores, hyphens and dots."""
    return re.sub(r"[\s_\-.]+", " ", str(header or "")).strip().lower()


def known_headers(kind: Kind) -> dict[str, str]:
    """Normalised header (name or alias) -> column name."""
    out: dict[str, str] = {}
    for column in kind.columns:
        for name in (column.name, *column.aliases):
            out[normalise(name)] = column.name
    return out
