"""Bulk-built programs for the scale tests: varied clients (closed, re-enrolled, employed at
enrollment, no enrollment date), jobs (competitive or not, ended or held, hours missing), client and
employer contacts (some linked to clients), education and follow-along supports, dated back from
`end` (today)."""

import datetime
import random
from decimal import Decimal

from clients.models import Client, Contact, ContactMode, EducationActivity, Enrollment
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart
from programs.models import Role

from .. import factories as f


def days_back(rng, end, most):
    return end - datetime.timedelta(days=rng.randrange(most))


def staff(program, n, prefix):
    """n specialists of `program` (in force since 2020) and five employers."""
    people = [f.make_user(Role.SPECIALIST, program=program, username=f"{prefix}-s{i}") for i in range(n)]
    employers = Employer.objects.bulk_create(
        Employer(program=program, name=f"{prefix} employer {i}", normalized_name=f"{prefix} employer {i}")
        for i in range(5)
    )
    return people, employers


def populate(program, people, employers, n_clients, end, seed):
    """n_clients clients of `program` with their histories (bulk inserts)."""
    rng = random.Random(seed)
    clients = Client.objects.bulk_create(
        Client(
            program=program,
            record_number=f"P{program.pk}-{i:05d}",
            first_name=f"Scalefirst{i}",
            last_name=f"Scalelast{program.pk}",
            date_of_birth=datetime.date(1985, 1, 1),
            diagnosis_group="other",
        )
        for i in range(n_clients)
    )
    episodes, jobs, contacts, education = [], [], [], []
    for i, client in enumerate(clients):
        enrolled = days_back(rng, end, 700)
        closed = None
        if i % 4 == 0:
            closed = min(enrolled + datetime.timedelta(days=rng.randrange(20, 300)), end)
            again = closed + datetime.timedelta(days=rng.randrange(1, 60))
            if i % 8 == 0 and again <= end:
                episodes.append(_episode(client, again, None, rng.choice(people), rng))
        episodes.append(_episode(client, enrolled, closed, rng.choice(people), rng))
        if i % 29 == 0:
            episodes[-1].enrollment_date = None  # a referral never enrolled: data quality
        start = enrolled + datetime.timedelta(days=rng.randrange(5, 150))
        if start <= end and i % 3:
            stop = start + datetime.timedelta(days=rng.randrange(20, 300))
            jobs.append(
                JobStart(
                    client=client,
                    employer=rng.choice(employers),
                    job_title="Scale job",
                    occupation_group="35",
                    start_date=start,
                    end_date=stop if stop <= end else None,
                    end_type="quit" if stop <= end else "",
                    hours_per_week=None if i % 11 == 0 else Decimal(rng.randrange(5, 40)),
                    hourly_wage=Decimal("16.50"),
                    is_competitive=i % 7 != 0,
                )
            )
        for _ in range(4):
            day = days_back(rng, end, 300)
            mode = "" if i % 13 == 0 else ContactMode.FACE_TO_FACE
            contacts.append(Contact(client=client, staff=rng.choice(people), contact_date=day, mode=mode))
        if i % 10 == 0:
            education.append(EducationActivity(client=client, institution="Scale College", start_date=enrolled))
    Enrollment.objects.bulk_create(episodes)
    jobs = JobStart.objects.bulk_create(jobs)
    FollowAlongSupport.objects.bulk_create(
        FollowAlongSupport(job=j, support_date=j.start_date + datetime.timedelta(days=2), description="Check-in")
        for j in jobs
    )
    Contact.objects.bulk_create(contacts)
    EducationActivity.objects.bulk_create(education)
    made = EmployerContact.objects.bulk_create(
        EmployerContact(
            employer=rng.choice(employers),
            specialist=rng.choice(people),
            contact_date=days_back(rng, end, 400),
            face_to_face=rng.random() < 0.8,
        )
        for _ in range(3 * n_clients)
    )
    through = EmployerContact.clients.through
    links = [through(employercontact_id=c.pk, client_id=rng.choice(clients).pk) for c in made if rng.random() < 0.4]
    through.objects.bulk_create(links)


def _episode(client, enrolled, closed, specialist, rng):
    return Enrollment(
        client=client,
        referral_date=enrolled - datetime.timedelta(days=rng.randrange(0, 20)),
        enrollment_date=enrolled,
        specialist=specialist,
        employed_at_enrollment=rng.random() < 0.15,
        closure_date=closed,
        closure_reason="other" if closed else "",
    )
