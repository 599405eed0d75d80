"""Time outcomes.metrics on a synthetic dataset in the current database.

    python manage.py benchmark_metrics --programs 50 --clients-per-program 100 [--keep] [--repeat 3]

Builds (with bulk_create) a region of invented programs, specialists, clients, enrollment
episodes, jobs, follow-along supports, client contacts and employer contacts, then prints the
wall time (best and median of --repeat runs) and the query count of `outcomes`,
`outcomes_by_program` and `outcomes_by_specialist` for the last complete quarter. The dataset
is deleted afterwards unless --keep; a kept dataset of the same size is reused by the next run.
Figures are measured, never asserted: tests must not depend on timings.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from argparse import ArgumentParser
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client, ClosureReason, Contact, ContactMode, ContactPlace, EducationActivity, Enrollment
from jobs.models import Employer, EmployerContact, FollowAlongSupport, JobStart, OccupationGroup
from outcomes import metrics
from programs.models import Agency, Membership, Program, Region, Role, User

REGION_CODE = "BENCHM"
PREFIX = "bench-metrics"
SPECIALISTS_PER_PROGRAM = 5
EMPLOYERS_PER_PROGRAM = 25
HISTORY_DAYS = 730
SEED = 5


class Command(BaseCommand):
    help = "Build a synthetic dataset and print timings and query counts of outcomes.metrics."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--programs", type=int, default=50)
        parser.add_argument("--clients-per-program", type=int, default=100)
        parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each function (best/median shown).")
        parser.add_argument("--keep", action="store_true", help="Keep the dataset for the next run.")
        parser.add_argument("--quarter", help="Quarter to measure, e.g. 2026Q3 (default: the last complete one).")

    def handle(
        self,
        *args: Any,
        programs: int,
        clients_per_program: int,
        repeat: int,
        keep: bool,
        quarter: str | None,
        **options: Any,
    ) -> None:
        if programs < 1 or clients_per_program < 1 or repeat < 1:
            raise CommandError("--programs, --clients-per-program and --repeat must be at least 1.")
        today = timezone.localdate()
        period = metrics.Period.parse(quarter) if quarter else metrics.Period.quarter_containing(today).previous()
        region = Region.objects.filter(code=REGION_CODE).first()
        if region and self._size(region) != (programs, clients_per_program):
            self.stdout.write("Deleting the previous benchmark dataset (different size).")
            delete_dataset(region)
            region = None
        if region:
            self.stdout.write(f"Reusing the kept dataset: {programs} programs x {clients_per_program} clients.")
        else:
            started = time.perf_counter()
            region = build_dataset(programs, clients_per_program, period.end, random.Random(SEED))
            self.stdout.write(f"Built the dataset in {time.perf_counter() - started:.1f} s.")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics after bulk inserts, as autovacuum would
        try:
            self._measure(region, period, repeat)
        finally:
            if not keep:
                delete_dataset(region)
                self.stdout.write("Deleted the benchmark dataset (use --keep to keep it).")

    def _size(self, region: Region) -> tuple[int, int]:
        program_ids = list(Program.objects.filter(agency__region=region).values_list("pk", flat=True))
        per_program = Client.objects.filter(program_id__in=program_ids[:1]).count()
        return len(program_ids), per_program

    def _measure(self, region: Region, period: metrics.Period, repeat: int) -> None:
        programs = Program.objects.filter(agency__region=region)
        counts = {
            "programs": programs.count(),
            "clients": Client.objects.filter(program__in=programs).count(),
            "enrollments": Enrollment.objects.filter(client__program__in=programs).count(),
            "jobs": JobStart.objects.filter(client__program__in=programs).count(),
            "employer contacts": EmployerContact.objects.filter(employer__program__in=programs).count(),
            "client contacts": Contact.objects.filter(client__program__in=programs).count(),
        }
        self.stdout.write(f"Database: {connection.vendor}; quarter {period.code} ({period.start} to {period.end})")
        self.stdout.write("Rows: " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        as_of = period.end + datetime.timedelta(days=5)
        metrics.outcomes(programs, period, as_of=as_of)  # warm-up: settings row, connection, caches
        self.stdout.write(f"{'function':<26}{'queries':>8}{'best ms':>10}{'median ms':>11}  result")
        for func in (metrics.outcomes, metrics.outcomes_by_program, metrics.outcomes_by_specialist):
            with CaptureQueriesContext(connection) as ctx:
                result = func(programs, period, as_of=as_of)
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                func(programs, period, as_of=as_of)
                timings.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"{func.__name__:<26}{len(ctx.captured_queries):>8}{min(timings):>10.1f}"
                f"{statistics.median(timings):>11.1f}  {_summary(result)}"
            )


def _summary(result: metrics.Outcomes | dict[int, metrics.Outcomes] | list[tuple[User, metrics.Outcomes]]) -> str:
    if isinstance(result, dict):
        rows = list(result.values())
        return f"{len(rows)} programs, {sum(o.active_caseload for o in rows)} active"
    if isinstance(result, list):
        return f"{len(result)} specialists, {sum(o.active_caseload for _, o in result)} attributed active"
    return f"active {result.active_caseload}, working {result.working}, rate {result.employment_rate}"


def _day(rng: random.Random, end: datetime.date, back: int) -> datetime.date:
    return end - datetime.timedelta(days=rng.randrange(back))


@transaction.atomic
def build_dataset(n_programs: int, n_clients: int, end: datetime.date, rng: random.Random) -> Region:
    """The synthetic region: every name is invented; dates spread over two years before `end`."""
    region = Region.objects.create(name="Benchmark Region (synthetic)", code=REGION_CODE)
    agency = Agency.objects.create(region=region, name="Benchmark Agency")
    programs = Program.objects.bulk_create(
        Program(agency=agency, name=f"Benchmark Program {i:03d}", code=f"{PREFIX}-{i:03d}") for i in range(n_programs)
    )
    users = User.objects.bulk_create(
        User(username=f"{PREFIX}-{p.pk}-{k}", first_name=f"Bench{k}", last_name=f"Specialist{p.pk}", password="!")
        for p in programs
        for k in range(SPECIALISTS_PER_PROGRAM)
    )
    staff = {
        p.pk: users[i * SPECIALISTS_PER_PROGRAM : (i + 1) * SPECIALISTS_PER_PROGRAM] for i, p in enumerate(programs)
    }
    Membership.objects.bulk_create(
        # In force over the whole two years of data, so every quarter measured has the same staff.
        Membership(user=u, role=Role.SPECIALIST, program_id=pk, start_date=end - datetime.timedelta(days=3 * 365))
        for pk, members in staff.items()
        for u in members
    )
    employers = Employer.objects.bulk_create(
        Employer(program=p, name=f"Bench Employer {p.pk}-{k}", normalized_name=f"bench employer {p.pk} {k}")
        for p in programs
        for k in range(EMPLOYERS_PER_PROGRAM)
    )
    by_program: dict[int, list[Employer]] = {}
    for e in employers:
        by_program.setdefault(e.program_id, []).append(e)
    clients = Client.objects.bulk_create(
        Client(
            program=p,
            record_number=f"B{k:05d}",
            first_name=f"Benchfirst{k}",
            last_name=f"Benchlast{p.pk}",
            date_of_birth=datetime.date(1980 + k % 20, 1 + k % 12, 1 + k % 28),
            diagnosis_group="other",
        )
        for p in programs
        for k in range(n_clients)
    )
    enrollments, jobs, contacts, education = [], [], [], []
    for client in clients:
        specialist = rng.choice(staff[client.program_id])
        enrolled = _day(rng, end, HISTORY_DAYS)
        closed = None
        if rng.random() < 0.25:
            closed = min(enrolled + datetime.timedelta(days=rng.randrange(30, 400)), end)
            if rng.random() < 0.3:  # re-enrolled after the closure
                again = closed + datetime.timedelta(days=rng.randrange(1, 120))
                if again <= end:
                    enrollments.append(_episode(client, again, None, rng.choice(staff[client.program_id]), rng))
        enrollments.append(_episode(client, enrolled, closed, specialist, rng))
        if rng.random() < 0.03:  # a referral never given an enrollment date: data quality
            enrollments[-1].enrollment_date = None
        day = enrolled + datetime.timedelta(days=rng.randrange(10, 200))
        while day <= end and rng.random() < 0.6:
            length = rng.randrange(14, 400)
            job_end = day + datetime.timedelta(days=length)
            jobs.append(
                JobStart(
                    client=client,
                    employer=rng.choice(by_program[client.program_id]),
                    job_title="Benchmark job",
                    occupation_group=rng.choice(OccupationGroup.values),
                    start_date=day,
                    end_date=job_end if job_end <= end else None,
                    end_type="quit" if job_end <= end else "",
                    hours_per_week=None if rng.random() < 0.05 else Decimal(rng.randrange(5, 41)),
                    hourly_wage=Decimal(rng.randrange(1200, 2600)) / 100,
                    is_competitive=rng.random() < 0.9,
                )
            )
            day = job_end + datetime.timedelta(days=rng.randrange(10, 120))
        for _ in range(rng.randrange(3, 12)):
            contacts.append(
                Contact(
                    client=client,
                    staff=specialist,
                    contact_date=_day(rng, end, 300),
                    mode=rng.choice(ContactMode.values),
                    place=rng.choice(ContactPlace.values),
                    minutes=rng.randrange(10, 90),
                )
            )
        if rng.random() < 0.1:
            education.append(EducationActivity(client=client, institution="Bench College", start_date=enrolled))
    Enrollment.objects.bulk_create(enrollments)
    jobs = JobStart.objects.bulk_create(jobs)
    FollowAlongSupport.objects.bulk_create(
        FollowAlongSupport(
            job=j, support_date=j.start_date + datetime.timedelta(days=rng.randrange(1, 8)), description="Check-in"
        )
        for j in jobs
    )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    _employer_contacts(programs, staff, by_program, clients, end, rng)
    EducationActivity.objects.bulk_create(education)
    return region


def _episode(
    client: Client, enrolled: datetime.date, closed: datetime.date | None, specialist: User, rng: random.Random
) -> Enrollment:
    return Enrollment(
        client=client,
        referral_date=enrolled - datetime.timedelta(days=rng.randrange(0, 30)),
        enrollment_date=enrolled,
        specialist=specialist,
        employed_at_enrollment=rng.random() < 0.15,
        closure_date=closed,
        closure_reason=ClosureReason.OTHER if closed else "",
    )


def _employer_contacts(
    programs: list[Program],
    staff: dict[int, list[User]],
    by_program: dict[int, list[Employer]],
    clients: list[Client],
    end: datetime.date,
    rng: random.Random,
) -> None:
    """About five face-to-face contacts a week per specialist over the last year; a third name a
    client of the program."""
    clients_of: dict[int, list[Client]] = {}
    for c in clients:
        clients_of.setdefault(c.program_id, []).append(c)
    rows = [
        EmployerContact(
            employer=rng.choice(by_program[p.pk]),
            specialist=specialist,
            contact_date=_day(rng, end, 365),
            face_to_face=rng.random() < 0.8,
        )
        for p in programs
        for specialist in staff[p.pk]
        for _ in range(52 * 5)
    ]
    rows = EmployerContact.objects.bulk_create(rows, batch_size=2000)
    Through = EmployerContact.clients.through
    Through.objects.bulk_create(
        (
            Through(employercontact_id=row.pk, client_id=rng.choice(clients_of[row.employer.program_id]).pk)
            for row in rows
            if rng.random() < 0.33
        ),
        batch_size=2000,
    )


@transaction.atomic
def delete_dataset(region: Region) -> None:
    """Everything the benchmark made, children first (PROTECT foreign keys)."""
    programs = Program.objects.filter(agency__region=region)
    EmployerContact.objects.filter(employer__program__in=programs).delete()
    JobStart.objects.filter(client__program__in=programs).delete()
    Client.objects.filter(program__in=programs).delete()
    Employer.objects.filter(program__in=programs).delete()
    User.objects.filter(username__startswith=f"{PREFIX}-").delete()
    programs.delete()
    Agency.objects.filter(region=region).delete()
    region.delete()
