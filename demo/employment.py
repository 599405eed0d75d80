"""Job development in the demo: employers, employer contacts, competitive jobs and follow-along supports."""

from __future__ import annotations

import datetime
from decimal import Decimal

from clients.models import Client
from jobs import models as jm
from programs.models import Program, User

from .names import EMPLOYER_KINDS, EMPLOYER_STEMS, FIRST_NAMES, JOB_END_REASONS, LAST_NAMES, SUPPORT_NOTES
from .seeding import Seeding

# An employer contact and the clients it was about (saved together by save_employer_contacts).
ContactAbout = tuple[jm.EmployerContact, list[Client]]


def build_employers(s: Seeding, program: Program) -> list[jm.Employer]:
    """26 to 36 employers with distinct names."""
    rng = s.rng
    names: set[str] = set()
    rows: list[jm.Employer] = []
    while len(rows) < rng.randint(26, 36):
        kind = rng.choice(EMPLOYER_KINDS)
        name = f"{rng.choice(EMPLOYER_STEMS)} {kind.industry}"
        key = jm.normalize_employer_name(name)
        if key in names:
            continue
        names.add(key)
        employer = jm.Employer(
            program=program,
            name=name,
            normalized_name=key,
            industry=kind.industry,
            contact_person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            phone=f"555-01{rng.randint(10, 99)}",
        )
        rows.append(employer)
    return s.bulk(jm.Employer, rows)


def first_employer_contact(
    s: Seeding,
    client: Client,
    specialist: User,
    employers: list[jm.Employer],
    start: datetime.date,
    end: datetime.date,
) -> ContactAbout | None:
    """The specialist's first employer contact about a newly enrolled client, if it falls before `end`."""
    rng = s.rng
    first_contact = start + s.days(rng.choice([5, 9, 14, 18, 22, 27, 33, 45, 60]))
    if first_contact > end:
        return None
    contact = jm.EmployerContact(
        employer=rng.choice(employers),
        specialist=specialist,
        contact_date=first_contact,
        face_to_face=True,
        client_specific=True,
        made_by=rng.choice(jm.MadeBy.values),
        purpose=jm.ContactPurpose.CLIENT_SPECIFIC,
        outcome="Talked about the client's interests and the hiring process.",
        next_step="Bring an application next week.",
    )
    return contact, [client]


def client_jobs(
    s: Seeding,
    client: Client,
    employers: list[jm.Employer],
    start: datetime.date,
    end: datetime.date,
    held_benefits: bool,
) -> list[jm.JobStart]:
    """Competitive jobs for about two thirds of clients, some followed by a second job."""
    rng = s.rng
    jobs: list[jm.JobStart] = []
    if rng.random() > 0.7:
        return jobs
    job_start = start + s.days(int(rng.expovariate(1 / 80)) + 25)
    while job_start <= min(end, s.today) and len(jobs) < 3:
        employer = rng.choice(employers)
        kind = next(k for k in EMPLOYER_KINDS if employer.industry == k.industry)
        duration = rng.randint(45, 420)
        job_end = job_start + s.days(duration)
        ended = job_end <= s.today - s.days(2)
        competitive = rng.random() < 0.95
        job_type = rng.choices(jm.JobType.values, weights=[80, 12, 8], k=1)[0]
        end_type = ""
        if ended:
            end_type = (
                jm.JobEndType.TEMPORARY_ENDED
                if job_type != jm.JobType.PERMANENT
                else rng.choice([jm.JobEndType.QUIT, jm.JobEndType.FIRED, jm.JobEndType.LAID_OFF])
            )
        jobs.append(
            jm.JobStart(
                client=client,
                employer=employer,
                job_title=kind.job_title,
                occupation_group=kind.occupation_group,
                start_date=job_start,
                hours_per_week=Decimal(rng.choice([8, 12, 15, 16, 20, 20, 24, 25, 30, 32, 40])),
                hourly_wage=Decimal(rng.randint(1050, 2400)) / 100,
                is_competitive=competitive,
                job_type=job_type,
                disclosure=rng.choice(jm.Disclosure.values),
                benefits_discussed=held_benefits,
                end_date=job_end if ended else None,
                end_type=end_type,
                end_reason=rng.choice(JOB_END_REASONS) if ended else "",
                lessons_learned="Prefers morning shifts and a quieter setting." if ended else "",
            )
        )
        if not ended or rng.random() < 0.45:
            break
        job_start = job_end + s.days(rng.randint(20, 120))
    return jobs


def general_employer_contacts(s: Seeding, program: Program, employers: list[jm.Employer]) -> list[ContactAbout]:
    """Job development: 4-7 employer contacts a week per specialist, ~70% face to face."""
    rng = s.rng
    rows: list[ContactAbout] = []
    for specialist in s.staff.specialists[program.code]:
        week = s.start
        while week <= s.today:
            for _ in range(rng.randint(4, 7)):
                day = week + s.days(rng.randint(0, 4))
                if day > s.today:
                    continue
                rows.append(
                    (
                        jm.EmployerContact(
                            employer=rng.choice(employers),
                            specialist=specialist,
                            contact_date=day,
                            face_to_face=rng.random() < 0.7,
                            purpose=rng.choice(
                                [
                                    jm.ContactPurpose.INTRODUCTION,
                                    jm.ContactPurpose.FOLLOW_UP,
                                    jm.ContactPurpose.JOB_OPENING,
                                ]
                            ),
                            outcome="Learned about the business and its hiring needs.",
                        ),
                        [],
                    )
                )
            week += s.days(7)
    return rows


def save_employer_contacts(s: Seeding, pairs: list[ContactAbout]) -> None:
    saved = s.bulk(jm.EmployerContact, [contact for contact, _ in pairs])
    through = jm.EmployerContact.clients.through
    links = [
        through(employercontact_id=contact.pk, client_id=client.pk)
        for contact, (_, clients) in zip(saved, pairs, strict=True)
        for client in clients
    ]
    through.objects.bulk_create(links, batch_size=500)


def build_supports(s: Seeding, jobs: list[jm.JobStart]) -> None:
    """Follow-along supports: weekly for the first month of a job, then monthly, at most 20."""
    rng = s.rng
    rows = []
    for job in jobs:
        last = job.end_date or s.today
        day = job.start_date + s.days(rng.randint(1, 3))
        n = 0
        while day <= last and n < 20:
            rows.append(
                jm.FollowAlongSupport(
                    job=job,
                    support_date=day,
                    provider=rng.choices(jm.SupportProvider.values, weights=[70, 15, 5, 3, 2, 5], k=1)[0],
                    description=rng.choice(SUPPORT_NOTES),
                    minutes=rng.choice([15, 30, 45]),
                )
            )
            day += s.days(7 if n < 4 else 30)
            n += 1
    s.bulk(jm.FollowAlongSupport, rows)
