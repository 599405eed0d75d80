"""Synthetic demo data: one region, two agencies, three programs, two years of history.

Deterministic for a given day (a fixed random seed, history counted back from `today`), and
idempotent (seeding again when the demo region exists creates nothing). Every name is invented.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from clients import models as cm
from fidelity import models as fm
from jobs import models as jm
from programs.models import Agency, Membership, Program, Region, Role, TreatmentTeam, User
from reports.models import QuarterlyReport

REGION_CODE = "LK"
PASSWORD = "demo-pass-2026"
SEED = 20261124
HISTORY_DAYS = 730

FIRST_NAMES = [
    "Arlo",
    "Briony",
    "Caspian",
    "Delphine",
    "Emrys",
    "Fenna",
    "Gideon",
    "Halcyon",
    "Isolde",
    "Jory",
    "Kestrel",
    "Lorcan",
    "Marisol",
    "Nerys",
    "Orrin",
    "Perpetua",
    "Quill",
    "Rosalind",
    "Soren",
    "Tamsin",
    "Ulric",
    "Vesna",
    "Wren",
    "Xanthe",
    "Yarrow",
    "Zephyr",
    "Anouk",
    "Bastian",
    "Calla",
    "Dashiell",
    "Elowen",
    "Florian",
    "Greer",
    "Hollis",
    "Imogen",
    "Jasper",
    "Kenna",
    "Linus",
    "Maelle",
    "Niall",
]
LAST_NAMES = [
    "Ashdown",
    "Brackwater",
    "Coldfield",
    "Dunmere",
    "Elderby",
    "Fallowmere",
    "Greywick",
    "Hollowell",
    "Ingleby",
    "Juniperly",
    "Kettleburn",
    "Larkspur",
    "Marrowby",
    "Nettlefold",
    "Oakhurst",
    "Pennywhistle",
    "Quarrington",
    "Rushmere",
    "Saltmarsh",
    "Thistlewood",
    "Underhay",
    "Vantwell",
    "Whitlock",
    "Yarwood",
    "Brightwater",
    "Copperfield",
    "Dewhurst",
    "Fernsby",
    "Glenholt",
    "Hazelrigg",
]
EMPLOYER_STEMS = [
    "Maple Street",
    "Riverside",
    "Lakeland",
    "Harborview",
    "Cedar Lane",
    "Northgate",
    "Old Mill",
    "Sunrise",
    "Bluebird",
    "Granite Hill",
    "Willow Creek",
    "Lantern",
    "Foxglove",
    "Meadowbrook",
    "Copper Kettle",
    "Pinecrest",
    "Silver Birch",
    "Stonebridge",
    "Juniper",
    "Tidewater",
]
EMPLOYER_KINDS = [
    ("Bakery", jm.OccupationGroup.FOOD, "Baker's assistant"),
    ("Grocery", jm.OccupationGroup.SALES, "Stock associate"),
    ("Diner", jm.OccupationGroup.FOOD, "Line cook"),
    ("Hardware", jm.OccupationGroup.SALES, "Sales associate"),
    ("Animal Shelter", jm.OccupationGroup.PERSONAL_CARE, "Animal care attendant"),
    ("Library", jm.OccupationGroup.EDUCATION, "Library aide"),
    ("Auto Repair", jm.OccupationGroup.MAINTENANCE, "Tire technician"),
    ("Landscaping", jm.OccupationGroup.BUILDING, "Groundskeeper"),
    ("Warehouse", jm.OccupationGroup.TRANSPORTATION, "Order picker"),
    ("Print Shop", jm.OccupationGroup.PRODUCTION, "Press assistant"),
    ("Care Home", jm.OccupationGroup.HEALTHCARE_SUPPORT, "Dietary aide"),
    ("Office Services", jm.OccupationGroup.OFFICE, "Data entry clerk"),
    ("Cleaning Co-op", jm.OccupationGroup.BUILDING, "Custodian"),
    ("Bike Shop", jm.OccupationGroup.MAINTENANCE, "Bike mechanic"),
    ("Community Center", jm.OccupationGroup.COMMUNITY, "Program aide"),
    ("Tech Repair", jm.OccupationGroup.COMPUTER, "Help-desk assistant"),
    ("Farm Stand", jm.OccupationGroup.FARMING, "Farm hand"),
    ("Theatre", jm.OccupationGroup.ARTS, "Box-office assistant"),
]

PROGRAMS = [
    # (agency index, name, code, clients, specialists, treatment teams)
    (0, "Riverbend IPS Team", "riverbend-ips", 55, 3, ["Riverbend ACT Team", "Riverbend Outpatient Team"]),
    (0, "Riverbend East IPS Team", "riverbend-east-ips", 55, 3, ["East Side Recovery Team"]),
    (1, "Northfield IPS Team", "northfield-ips", 40, 2, ["Northfield Community Team"]),
]
FIDELITY_TOTALS = [104, 92, 117]  # good, fair, exemplary


@dataclass
class Staff:
    admin: User = None
    supervisors: list = field(default_factory=list)
    trainers: list = field(default_factory=list)
    specialists: dict = field(default_factory=dict)  # program code -> [User]


def demo_exists():
    return Region.objects.filter(code=REGION_CODE).exists()


def logins():
    """(username, role, where) for every demo user, in a stable order."""
    rows = []
    memberships = Membership.objects.filter(user__username__in=_demo_usernames()).select_related(
        "user", "program", "region"
    )
    for m in memberships.order_by("user__username", "role"):
        where = m.program or m.region or "all regions"
        rows.append((m.user.username, m.get_role_display(), str(where)))
    return rows


def _demo_usernames():
    return ["admin", "supervisor", "supervisor2", "trainer", "trainer2"] + [
        "specialist" if i == 1 else f"specialist{i}" for i in range(1, 9)
    ]


@transaction.atomic
def reset():
    """Delete the demo region and everything in it, and the demo users."""
    programs = Program.objects.filter(agency__region__code=REGION_CODE)
    reviews = fm.FidelityReview.objects.filter(program__in=programs)
    fm.ScoreAmendment.objects.filter(item_score__review__in=reviews).delete()
    reviews.delete()
    QuarterlyReport.objects.filter(program__in=programs).delete()
    QuarterlyReport.objects.filter(region__code=REGION_CODE).delete()
    jm.JobStart.objects.filter(client__program__in=programs).delete()
    jm.EmployerContact.objects.filter(employer__program__in=programs).delete()
    jm.Employer.objects.filter(program__in=programs).delete()
    cm.Client.objects.filter(program__in=programs).delete()
    programs.delete()
    Agency.objects.filter(region__code=REGION_CODE).delete()
    Region.objects.filter(code=REGION_CODE).delete()
    users = User.objects.filter(username__in=_demo_usernames())
    AuditEvent.objects.filter(user__in=users).update(user=None)
    users.delete()


@transaction.atomic
def seed(today=None):
    """Create the demo data unless it exists. Returns {model name: rows created}."""
    if demo_exists():
        return {}
    today = today or timezone.localdate()
    builder = _Builder(random.Random(SEED), today)
    builder.build()
    return builder.counts


class _Builder:
    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.start = today - datetime.timedelta(days=HISTORY_DAYS)
        self.counts = {}
        self.password = make_password(PASSWORD)  # hashed once, shared by the demo users
        self.staff = Staff()
        self.client_seq = 0

    # -- helpers -----------------------------------------------------------------------------
    def days(self, n):
        return datetime.timedelta(days=n)

    def between(self, lo, hi):
        if hi <= lo:
            return lo
        return lo + self.days(self.rng.randint(0, (hi - lo).days))

    def bulk(self, model, rows):
        created = model.objects.bulk_create(rows, batch_size=500)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(created)
        return created

    def user(self, username, first, last, **extra):
        user = User.objects.create(
            username=username, first_name=first, last_name=last, email=f"{username}@demo.invalid", **extra
        )
        user.password = self.password
        user.save(update_fields=["password"])
        self.counts["User"] = self.counts.get("User", 0) + 1
        return user

    # -- organisation --------------------------------------------------------------------------
    def build(self):
        region = Region.objects.create(name="Lakeland (demo)", code=REGION_CODE, country="United States")
        agencies = [
            Agency.objects.create(region=region, name="Riverbend Community Mental Health Center"),
            Agency.objects.create(region=region, name="Northfield Behavioral Health"),
        ]
        s = self.staff
        s.admin = self.user("admin", "Avery", "Quillfeather", is_staff=True, is_superuser=True)
        Membership.objects.create(user=s.admin, role=Role.ADMIN)
        s.trainers = [
            self.user("trainer", "Theodora", "Brightwater"),
            self.user("trainer2", "Tobias", "Fernsby"),
        ]
        for trainer in s.trainers:
            Membership.objects.create(user=trainer, role=Role.TRAINER, region=region)
        s.supervisors = [
            self.user("supervisor", "Sabine", "Marrowby"),
            self.user("supervisor2", "Silas", "Oakhurst"),
        ]
        specialist_number = 1
        programs = []
        for agency_index, name, code, n_clients, n_specialists, teams in PROGRAMS:
            program = Program.objects.create(
                agency=agencies[agency_index], name=name, code=code, started_on=self.start - self.days(400)
            )
            programs.append((program, n_clients, teams))
            supervisor = s.supervisors[0] if agency_index == 0 else s.supervisors[1]
            Membership.objects.create(user=supervisor, role=Role.SUPERVISOR, program=program)
            s.specialists[code] = []
            for _ in range(n_specialists):
                username = "specialist" if specialist_number == 1 else f"specialist{specialist_number}"
                first = FIRST_NAMES[(specialist_number * 7) % len(FIRST_NAMES)]
                last = LAST_NAMES[(specialist_number * 5) % len(LAST_NAMES)]
                specialist = self.user(username, first, last)
                Membership.objects.create(user=specialist, role=Role.SPECIALIST, program=program)
                s.specialists[code].append(specialist)
                specialist_number += 1
        self.counts["Program"] = len(programs)
        for index, (program, n_clients, teams) in enumerate(programs):
            team_rows = self.bulk(TreatmentTeam, [TreatmentTeam(program=program, name=t) for t in teams])
            self.build_program(program, n_clients, team_rows)
            self.build_fidelity(program, FIDELITY_TOTALS[index], with_baseline=index == 0)

    # -- clients and their histories -----------------------------------------------------------
    def build_program(self, program, n_clients, teams):
        rng = self.rng
        specialists = self.staff.specialists[program.code]
        employers = self.build_employers(program)
        clients = []
        for _ in range(n_clients):
            self.client_seq += 1
            clients.append(
                cm.Client(
                    program=program,
                    record_number=f"{program.code[:2].upper()}-{self.client_seq:04d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=datetime.date(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                    diagnosis_group=rng.choices(cm.DiagnosisGroup.values, weights=[35, 25, 25, 10, 5], k=1)[0],
                    treatment_team=rng.choice(teams),
                    education_level=rng.choice(cm.EducationLevel.values),
                    disclosure_preference=rng.choice(cm.DisclosurePreference.values),
                )
            )
        clients = self.bulk(cm.Client, clients)

        enrollments, episodes = [], []
        for i, client in enumerate(clients):
            specialist = specialists[i % len(specialists)]
            for episode in self.plan_episodes(i, n_clients):
                enrollments.append(cm.Enrollment(client=client, specialist=specialist, **dict(episode.items())))
                episodes.append((client, specialist, episode))
        self.bulk(cm.Enrollment, enrollments)

        contacts, jobs, profiles, plans, sessions, education = [], [], [], [], [], []
        employer_contacts = []  # (EmployerContact, [clients])
        for client, specialist, ep in episodes:
            start = ep["enrollment_date"]
            if start is None:
                continue
            end = ep["closure_date"] or self.today
            contacts += self.client_contacts(client, specialist, start, end)
            first_contact = start + self.days(rng.choice([5, 9, 14, 18, 22, 27, 33, 45, 60]))
            if first_contact <= end:
                employer_contacts.append(
                    (
                        jm.EmployerContact(
                            employer=rng.choice(employers),
                            specialist=specialist,
                            contact_date=first_contact,
                            face_to_face=True,
                            client_specific=True,
                            made_by=rng.choice(jm.MadeBy.values),
                            purpose=jm.ContactPurpose.CLIENT_SPECIFIC,
                            outcome="Talked about the client's interests and the hiring process.",
                            next_step="Bring an application next week.",
                        ),
                        [client],
                    )
                )
            held_benefits = rng.random() < 0.65
            jobs += self.client_jobs(client, employers, start, end, held_benefits, sessions)
            profiles.append(client)
            if ep["closure_date"] is None:
                plans.append(client)
            if rng.random() < 0.06:
                education.append(
                    cm.EducationActivity(
                        client=client,
                        institution="Lakeland Community College",
                        program_of_study=rng.choice(["Culinary arts", "Bookkeeping", "GED classes", "IT support"]),
                        start_date=self.between(start, min(end, self.today)),
                    )
                )
        self.bulk(cm.Contact, contacts)
        self.bulk(cm.EducationActivity, education)
        self.bulk(cm.BenefitsCounselingSession, sessions)
        jobs = self.bulk(jm.JobStart, jobs)
        self.build_supports(jobs)
        employer_contacts += self.general_employer_contacts(program, employers)
        self.save_employer_contacts(employer_contacts)
        self.build_profiles(set(profiles))
        self.build_plans(plans)

    def plan_episodes(self, index, n_clients):
        """Enrollment episodes of one client, oldest first; the last may be open."""
        rng = self.rng
        if index < 2:  # pending referrals: no enrollment date yet
            referral = self.today - self.days(rng.randint(2, 12))
            return [{"referral_date": referral, "enrollment_date": None, "closure_date": None, "closure_reason": ""}]
        episodes = []
        if rng.random() < 0.1:  # re-enrolled: an earlier closed episode
            enrolled = self.start - self.days(rng.randint(120, 300))
            closed = enrolled + self.days(rng.randint(90, 200))
            episodes.append(
                {
                    "referral_date": enrolled - self.days(rng.randint(3, 20)),
                    "enrollment_date": enrolled,
                    "closure_date": closed,
                    "closure_reason": rng.choice([cm.ClosureReason.LOST_CONTACT, cm.ClosureReason.DECLINED]),
                    "employed_at_enrollment": False,
                }
            )
            earliest = closed + self.days(60)
        else:
            earliest = self.start - self.days(420)
        enrolled = self.between(max(earliest, self.start - self.days(420)), self.today - self.days(10))
        closure = None
        reason = ""
        if rng.random() < 0.45:
            candidate = enrolled + self.days(rng.randint(150, 540))
            if candidate < self.today - self.days(3):
                closure = candidate
                reason = rng.choice(
                    [
                        cm.ClosureReason.GOAL_MET,
                        cm.ClosureReason.DECLINED,
                        cm.ClosureReason.MOVED,
                        cm.ClosureReason.LOST_CONTACT,
                        cm.ClosureReason.HEALTH,
                    ]
                )
        episodes.append(
            {
                "referral_date": enrolled - self.days(rng.randint(3, 25)),
                "enrollment_date": enrolled,
                "closure_date": closure,
                "closure_reason": reason,
                "employed_at_enrollment": rng.random() < 0.1,
            }
        )
        return episodes

    def client_contacts(self, client, specialist, start, end):
        rng = self.rng
        rows = []
        day = max(start, self.start)
        while day <= min(end, self.today):
            with_whom = rng.choices(cm.ContactWith.values, weights=[70, 0, 6, 14, 3, 5, 2], k=1)[0]
            rows.append(
                cm.Contact(
                    client=client,
                    staff=specialist,
                    contact_date=day,
                    with_whom=with_whom,
                    mode=rng.choices(cm.ContactMode.values, weights=[70, 18, 4, 8], k=1)[0],
                    place=cm.ContactPlace.COMMUNITY if rng.random() < 0.7 else cm.ContactPlace.OFFICE,
                    minutes=rng.choice([15, 20, 30, 45, 60, 90]),
                    note=rng.choice(
                        [
                            "Talked about job interests.",
                            "Practised for an interview.",
                            "Checked in about work.",
                            "Reviewed the job search plan.",
                            "Met at a coffee shop near the bus stop.",
                            "",
                        ]
                    ),
                )
            )
            day += self.days(rng.choice([5, 7, 7, 8, 10, 14]))
        return rows

    def client_jobs(self, client, employers, start, end, held_benefits, sessions):
        """Competitive jobs for about two thirds of clients, some followed by a second job."""
        rng = self.rng
        jobs = []
        if held_benefits:
            sessions.append(self.benefits_session(client, start + self.days(rng.randint(7, 40))))
        if rng.random() > 0.7:
            return jobs
        job_start = start + self.days(int(rng.expovariate(1 / 80)) + 25)
        while job_start <= min(end, self.today) and len(jobs) < 3:
            employer = rng.choice(employers)
            kind = next(k for k in EMPLOYER_KINDS if employer.industry == k[0])
            duration = rng.randint(45, 420)
            job_end = job_start + self.days(duration)
            ended = job_end <= self.today - self.days(2)
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
                    job_title=kind[2],
                    occupation_group=kind[1],
                    start_date=job_start,
                    hours_per_week=Decimal(rng.choice([8, 12, 15, 16, 20, 20, 24, 25, 30, 32, 40])),
                    hourly_wage=Decimal(rng.randint(1050, 2400)) / 100,
                    is_competitive=competitive,
                    job_type=job_type,
                    disclosure=rng.choice(jm.Disclosure.values),
                    benefits_discussed=held_benefits,
                    end_date=job_end if ended else None,
                    end_type=end_type,
                    end_reason=(
                        rng.choice(
                            [
                                "Schedule conflicted with treatment.",
                                "Wanted more hours elsewhere.",
                                "Season ended.",
                                "Difficulty with a supervisor.",
                                "Store closed.",
                            ]
                        )
                        if ended
                        else ""
                    ),
                    lessons_learned="Prefers morning shifts and a quieter setting." if ended else "",
                )
            )
            if not ended or rng.random() < 0.45:
                break
            job_start = job_end + self.days(rng.randint(20, 120))
        return jobs

    def benefits_session(self, client, day):
        rng = self.rng
        return cm.BenefitsCounselingSession(
            client=client,
            session_date=min(day, self.today),
            counselor_name=rng.choice(["Lakeland Work Incentives Planning", "Program benefits planner"]),
            counselor_type=rng.choice(cm.CounselorType.values),
            benefits_held=rng.sample([cm.Benefit.SSI, cm.Benefit.SSDI, cm.Benefit.MEDICAID, cm.Benefit.SNAP], 2),
            work_incentives_discussed=rng.sample(
                [cm.WorkIncentive.TWP, cm.WorkIncentive.SSI_EIE, cm.WorkIncentive.S1619B, cm.WorkIncentive.TICKET], 2
            ),
            written_plan_given=rng.random() < 0.7,
            next_review_date=min(day, self.today) + self.days(180),
        )

    def build_employers(self, program):
        rng = self.rng
        names = set()
        rows = []
        while len(rows) < rng.randint(26, 36):
            kind = rng.choice(EMPLOYER_KINDS)
            name = f"{rng.choice(EMPLOYER_STEMS)} {kind[0]}"
            key = jm.normalize_employer_name(name)
            if key in names:
                continue
            names.add(key)
            employer = jm.Employer(
                program=program,
                name=name,
                normalized_name=key,
                industry=kind[0],
                contact_person=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                phone=f"555-01{rng.randint(10, 99)}",
            )
            rows.append(employer)
        return self.bulk(jm.Employer, rows)

    def general_employer_contacts(self, program, employers):
        """Job development: 4-7 employer contacts a week per specialist, ~70% face to face."""
        rng = self.rng
        rows = []
        for specialist in self.staff.specialists[program.code]:
            week = self.start
            while week <= self.today:
                for _ in range(rng.randint(4, 7)):
                    day = week + self.days(rng.randint(0, 4))
                    if day > self.today:
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
                week += self.days(7)
        return rows

    def save_employer_contacts(self, pairs):
        saved = self.bulk(jm.EmployerContact, [contact for contact, _ in pairs])
        through = jm.EmployerContact.clients.through
        links = [
            through(employercontact_id=contact.pk, client_id=client.pk)
            for contact, (_, clients) in zip(saved, pairs, strict=True)
            for client in clients
        ]
        through.objects.bulk_create(links, batch_size=500)

    def build_supports(self, jobs):
        rng = self.rng
        rows = []
        for job in jobs:
            last = job.end_date or self.today
            day = job.start_date + self.days(rng.randint(1, 3))
            n = 0
            while day <= last and n < 20:
                rows.append(
                    jm.FollowAlongSupport(
                        job=job,
                        support_date=day,
                        provider=rng.choices(jm.SupportProvider.values, weights=[70, 15, 5, 3, 2, 5], k=1)[0],
                        description=rng.choice(
                            [
                                "Check-in after shifts.",
                                "Helped plan the bus route.",
                                "Talked through a schedule change.",
                                "Met at lunch break.",
                                "Reviewed the first pay slip.",
                            ]
                        ),
                        minutes=rng.choice([15, 30, 45]),
                    )
                )
                day += self.days(7 if n < 4 else 30)
                n += 1
        self.bulk(jm.FollowAlongSupport, rows)

    def build_profiles(self, clients):
        rng = self.rng
        profiles = self.bulk(
            cm.CareerProfile,
            [
                cm.CareerProfile(
                    client=client,
                    work_goals=rng.choice(
                        [
                            "Part-time work with animals.",
                            "A kitchen job, mornings only.",
                            "Office work near home.",
                            "Outdoor work, 20 hours a week.",
                            "Retail, weekends.",
                        ]
                    ),
                    skills_and_strengths=rng.choice(["Punctual, careful.", "Good with people.", "Strong with tools."]),
                    preferred_hours=rng.choice(["15-20 a week", "20-30 a week", "Full time"]),
                    transportation=rng.choice(["Bus pass", "Bicycle", "Own car", "Rides from family"]),
                    last_reviewed=self.today - self.days(rng.randint(5, 200)),
                )
                for client in sorted(clients, key=lambda c: c.pk)
            ],
        )
        history = []
        for profile in profiles:
            for _ in range(rng.randint(0, 3)):
                begun = datetime.date(rng.randint(2008, 2021), rng.randint(1, 12), 1)
                kind = rng.choice(EMPLOYER_KINDS)
                history.append(
                    cm.WorkHistoryEntry(
                        profile=profile,
                        employer_name=f"{rng.choice(EMPLOYER_STEMS)} {kind[0]}",
                        job_title=kind[2],
                        start_date=begun,
                        end_date=begun + self.days(rng.randint(60, 700)),
                        liked="The team and a steady routine.",
                        disliked="Late shifts.",
                        reason_left=rng.choice(["Hospital stay.", "Moved.", "Job ended.", "Quit after conflict."]),
                    )
                )
        self.bulk(cm.WorkHistoryEntry, history)

    def build_plans(self, clients):
        rng = self.rng
        plans = self.bulk(
            cm.EmploymentPlan,
            [
                cm.EmploymentPlan(
                    client=client,
                    goal=rng.choice(
                        [
                            "Find a part-time job in food service.",
                            "Get a job working outdoors.",
                            "Start in retail and build to 25 hours.",
                            "Find office work close to home.",
                        ]
                    ),
                    start_date=self.today - self.days(rng.randint(10, 120)),
                    review_date=self.today + self.days(rng.randint(10, 90)),
                )
                for client in clients
            ],
        )
        steps = []
        for plan in plans:
            for position in range(rng.randint(2, 4)):
                target = plan.start_date + self.days(14 * (position + 1))
                steps.append(
                    cm.PlanStep(
                        plan=plan,
                        description=[
                            "Update the résumé with the specialist.",
                            "Visit three employers in the preferred area.",
                            "Meet the benefits planner.",
                            "Practise interview questions.",
                        ][position],
                        responsible=rng.choice(cm.StepOwner.values),
                        target_date=target,
                        completed_on=target if target < self.today - self.days(7) else None,
                        position=position,
                    )
                )
        self.bulk(cm.PlanStep, steps)

    # -- fidelity ----------------------------------------------------------------------------------
    def build_fidelity(self, program, total, with_baseline):
        if with_baseline:
            visit = self.today - self.days(430)
            self.finalized_review(program, total - 14, visit, fm.ReviewType.BASELINE)
        visit = self.today - self.days(self.rng.randint(60, 150))
        self.finalized_review(program, total, visit, fm.ReviewType.FOLLOW_UP)

    def finalized_review(self, program, total, visit, review_type):
        rng = self.rng
        scale = fm.FidelityScale.objects.get(is_current=True)
        items = list(scale.items.order_by("number"))
        scores = _scores_adding_to(total, len(items), rng)
        first, second = self.staff.trainers
        finished = timezone.make_aware(datetime.datetime.combine(visit + self.days(14), datetime.time(15, 0)))
        review = fm.FidelityReview.objects.create(
            program=program,
            scale=scale,
            review_type=review_type,
            visit_start=visit,
            visit_end=visit + self.days(1),
            period_start=visit - self.days(183),
            period_end=visit - self.days(1),
            reviewer_1=first,
            reviewer_2=second,
            reviewer_1_submitted_at=finished,
            reviewer_2_submitted_at=finished,
            status=fm.ReviewStatus.FINALIZED,
            strengths="Specialists spend most of their time in the community and know local employers well.",
            summary=f"The program scored {total} of 125 on the IPS-25.",
            total_score=total,
            finalized_at=finished,
            finalized_by=first,
        )
        item_scores = self.bulk(
            fm.ItemScore,
            [
                fm.ItemScore(review=review, item=item, consensus_score=score, rationale="Agreed after discussion.")
                for item, score in zip(items, scores, strict=True)
            ],
        )
        reviewer_scores = []
        for item_score in item_scores:
            for reviewer in (first, second):
                score = item_score.consensus_score
                if reviewer == second and rng.random() < 0.2:
                    score = max(1, min(5, score + rng.choice([-1, 1])))
                reviewer_scores.append(
                    fm.ReviewerScore(
                        item_score=item_score,
                        reviewer=reviewer,
                        score=score,
                        evidence="Interviews with staff and a review of ten charts.",
                        data_sources=[fm.DataSource.INTERVIEWS, fm.DataSource.CHART_REVIEW],
                    )
                )
        self.bulk(fm.ReviewerScore, reviewer_scores)
        recommendations = self.bulk(
            fm.Recommendation,
            [
                fm.Recommendation(
                    review=review, item=item, text=f"Work toward full practice on '{item.title.lower()}'."
                )
                for item, score in zip(items, scores, strict=True)
                if score < 5
            ],
        )
        self.bulk(
            fm.ActionPlanItem,
            [
                fm.ActionPlanItem(
                    review=review,
                    recommendation=recommendation,
                    description=f"Plan: {recommendation.text}",
                    owner=rng.choice(["Supervisor", "Program director", "Employment specialists"]),
                    due_date=visit + self.days(90 + 30 * n),
                    status=rng.choice(fm.ActionStatus.values[:3]),
                )
                for n, recommendation in enumerate(recommendations[:4])
            ],
        )
        return review


def _scores_adding_to(total, n, rng):
    """n scores from 1 to 5, shuffled, that add up to `total`."""
    scores = [3] * n
    diff = total - 3 * n
    step = 1 if diff > 0 else -1
    while diff:
        i = rng.randrange(n)
        if 1 <= scores[i] + step <= 5:
            scores[i] += step
            diff -= step
    return scores
