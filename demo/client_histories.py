"""A demo program's clients: enrollments, contacts, benefits counseling, education, profiles and plans.

The clients' jobs and their specialists' employer contacts come from `employment`, drawn in the same
pass so that each client's history is told in one order.
"""

from __future__ import annotations

import datetime
from typing import NotRequired, TypedDict

from clients import models as cm
from jobs import models as jm
from programs.models import Program, TreatmentTeam, User

from . import employment
from .names import (
    CONTACT_NOTES,
    EMPLOYER_KINDS,
    EMPLOYER_STEMS,
    FIRST_NAMES,
    LAST_NAMES,
    PLAN_GOALS,
    PLAN_STEPS,
    WORK_GOALS,
)
from .seeding import Seeding


class Episode(TypedDict):
    """The fields of one Enrollment."""

    referral_date: datetime.date
    enrollment_date: datetime.date | None  # None: a pending referral
    closure_date: datetime.date | None
    closure_reason: str
    employed_at_enrollment: NotRequired[bool]


def build_clients(s: Seeding, program: Program, n_clients: int, teams: list[TreatmentTeam]) -> None:
    """`n_clients` clients of the program with their histories, shared among its specialists."""
    rng = s.rng
    specialists = s.staff.specialists[program.code]
    employers = employment.build_employers(s, program)
    clients = []
    for _ in range(n_clients):
        s.client_seq += 1
        clients.append(
            cm.Client(
                program=program,
                record_number=f"{program.code[:2].upper()}-{s.client_seq:04d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=datetime.date(rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                diagnosis_group=rng.choices(cm.DiagnosisGroup.values, weights=[35, 25, 25, 10, 5], k=1)[0],
                treatment_team=rng.choice(teams),
                education_level=rng.choice(cm.EducationLevel.values),
                disclosure_preference=rng.choice(cm.DisclosurePreference.values),
            )
        )
    clients = s.bulk(cm.Client, clients)

    enrollments = []
    episodes: list[tuple[cm.Client, User, Episode]] = []
    for i, client in enumerate(clients):
        specialist = specialists[i % len(specialists)]
        for episode in plan_episodes(s, i):
            enrollments.append(cm.Enrollment(client=client, specialist=specialist, **episode))
            episodes.append((client, specialist, episode))
    s.bulk(cm.Enrollment, enrollments)

    contacts: list[cm.Contact] = []
    jobs: list[jm.JobStart] = []
    sessions: list[cm.BenefitsCounselingSession] = []
    education: list[cm.EducationActivity] = []
    with_profile: list[cm.Client] = []
    with_plan: list[tuple[cm.Client, datetime.date]] = []
    employer_contacts: list[employment.ContactAbout] = []
    for client, specialist, ep in episodes:
        start = ep["enrollment_date"]
        if start is None:
            continue
        end = ep["closure_date"] or s.today
        contacts += client_contacts(s, client, specialist, start, end)
        first = employment.first_employer_contact(s, client, specialist, employers, start, end)
        if first:
            employer_contacts.append(first)
        held_benefits = rng.random() < 0.65
        if held_benefits:
            sessions.append(benefits_session(s, client, start + s.days(rng.randint(7, 40))))
        jobs += employment.client_jobs(s, client, employers, start, end, held_benefits)
        with_profile.append(client)
        if ep["closure_date"] is None:
            with_plan.append((client, start))
        if rng.random() < 0.06:
            education.append(
                cm.EducationActivity(
                    client=client,
                    institution="Lakeland Community College",
                    program_of_study=rng.choice(["Culinary arts", "Bookkeeping", "GED classes", "IT support"]),
                    start_date=s.between(start, min(end, s.today)),
                )
            )
    s.bulk(cm.Contact, contacts)
    s.bulk(cm.EducationActivity, education)
    s.bulk(cm.BenefitsCounselingSession, sessions)
    jobs = s.bulk(jm.JobStart, jobs)
    employment.build_supports(s, jobs)
    employer_contacts += employment.general_employer_contacts(s, program, employers)
    employment.save_employer_contacts(s, employer_contacts)
    build_profiles(s, set(with_profile))  # a re-enrolled client has one profile
    build_plans(s, with_plan)


def plan_episodes(s: Seeding, index: int) -> list[Episode]:
    """Enrollment episodes of one client, oldest first; the last may be open."""
    rng = s.rng
    if index < 2:  # pending referrals: no enrollment date yet
        referral = s.today - s.days(rng.randint(2, 12))
        return [{"referral_date": referral, "enrollment_date": None, "closure_date": None, "closure_reason": ""}]
    episodes: list[Episode] = []
    if rng.random() < 0.1:  # re-enrolled: an earlier closed episode
        enrolled = s.start - s.days(rng.randint(120, 300))
        closed = enrolled + s.days(rng.randint(90, 200))
        episodes.append(
            {
                "referral_date": enrolled - s.days(rng.randint(3, 20)),
                "enrollment_date": enrolled,
                "closure_date": closed,
                "closure_reason": rng.choice([cm.ClosureReason.LOST_CONTACT, cm.ClosureReason.DECLINED]),
                "employed_at_enrollment": False,
            }
        )
        earliest = closed + s.days(60)
    else:
        earliest = s.start - s.days(420)
    enrolled = s.between(max(earliest, s.start - s.days(420)), s.today - s.days(10))
    closure = None
    reason = ""
    if rng.random() < 0.45:
        candidate = enrolled + s.days(rng.randint(150, 540))
        if candidate < s.today - s.days(3):
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
            "referral_date": enrolled - s.days(rng.randint(3, 25)),
            "enrollment_date": enrolled,
            "closure_date": closure,
            "closure_reason": reason,
            "employed_at_enrollment": rng.random() < 0.1,
        }
    )
    return episodes


def client_contacts(
    s: Seeding, client: cm.Client, specialist: User, start: datetime.date, end: datetime.date
) -> list[cm.Contact]:
    """Contacts every one to two weeks while the client is enrolled within the history."""
    rng = s.rng
    rows = []
    day = max(start, s.start)
    while day <= min(end, s.today):
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
                note=rng.choice(CONTACT_NOTES),
            )
        )
        day += s.days(rng.choice([5, 7, 7, 8, 10, 14]))
    return rows


def benefits_session(s: Seeding, client: cm.Client, day: datetime.date) -> cm.BenefitsCounselingSession:
    rng = s.rng
    return cm.BenefitsCounselingSession(
        client=client,
        session_date=min(day, s.today),
        counselor_name=rng.choice(["Lakeland Work Incentives Planning", "Program benefits planner"]),
        counselor_type=rng.choice(cm.CounselorType.values),
        benefits_held=rng.sample([cm.Benefit.SSI, cm.Benefit.SSDI, cm.Benefit.MEDICAID, cm.Benefit.SNAP], 2),
        work_incentives_discussed=rng.sample(
            [cm.WorkIncentive.TWP, cm.WorkIncentive.SSI_EIE, cm.WorkIncentive.S1619B, cm.WorkIncentive.TICKET], 2
        ),
        written_plan_given=rng.random() < 0.7,
        next_review_date=min(day, s.today) + s.days(180),
    )


def build_profiles(s: Seeding, clients: set[cm.Client]) -> None:
    """A career profile for each client, with up to three earlier jobs."""
    rng = s.rng
    profiles = s.bulk(cm.CareerProfile, [career_profile(s, client) for client in sorted(clients, key=lambda c: c.pk)])
    history = []
    for profile in profiles:
        for _ in range(rng.randint(0, 3)):
            begun = datetime.date(rng.randint(2008, 2021), rng.randint(1, 12), 1)
            kind = rng.choice(EMPLOYER_KINDS)
            history.append(
                cm.WorkHistoryEntry(
                    profile=profile,
                    employer_name=f"{rng.choice(EMPLOYER_STEMS)} {kind.industry}",
                    job_title=kind.job_title,
                    start_date=begun,
                    end_date=begun + s.days(rng.randint(60, 700)),
                    liked="The team and a steady routine.",
                    disliked="Late shifts.",
                    reason_left=rng.choice(["Hospital stay.", "Moved.", "Job ended.", "Quit after conflict."]),
                )
            )
    s.bulk(cm.WorkHistoryEntry, history)


def career_profile(s: Seeding, client: cm.Client) -> cm.CareerProfile:
    """Reviewed in the last six months."""
    rng = s.rng
    return cm.CareerProfile(
        client=client,
        work_goals=rng.choice(WORK_GOALS),
        skills_and_strengths=rng.choice(["Punctual, careful.", "Good with people.", "Strong with tools."]),
        preferred_hours=rng.choice(["15-20 a week", "20-30 a week", "Full time"]),
        transportation=rng.choice(["Bus pass", "Bicycle", "Own car", "Rides from family"]),
        last_reviewed=s.today - s.days(rng.randint(5, 200)),
    )


def build_plans(s: Seeding, clients: list[tuple[cm.Client, datetime.date]]) -> None:
    """An employment plan with two to four steps for each client enrolled now (client, enrollment date)."""
    rng = s.rng
    plans = s.bulk(cm.EmploymentPlan, [employment_plan(s, client, enrolled) for client, enrolled in clients])
    steps = [
        plan_step(s, plan, position, description)
        for plan in plans
        for position, description in enumerate(PLAN_STEPS[: rng.randint(2, 4)])
    ]
    s.bulk(cm.PlanStep, steps)


def employment_plan(s: Seeding, client: cm.Client, enrolled: datetime.date) -> cm.EmploymentPlan:
    """Started in the last four months (not before the enrollment: its steps are done after the
    referral), to be reviewed in the next three."""
    goal = s.rng.choice(PLAN_GOALS)
    started = max(s.today - s.days(s.rng.randint(10, 120)), enrolled)
    review = s.today + s.days(s.rng.randint(10, 90))
    return cm.EmploymentPlan(client=client, goal=goal, start_date=started, review_date=review)


def plan_step(s: Seeding, plan: cm.EmploymentPlan, position: int, description: str) -> cm.PlanStep:
    """Every two weeks from the plan's start; those due over a week ago are done."""
    target = plan.start_date + s.days(14 * (position + 1))
    return cm.PlanStep(
        plan=plan,
        description=description,
        responsible=s.rng.choice(cm.StepOwner.values),
        target_date=target,
        completed_on=target if target < s.today - s.days(7) else None,
        position=position,
    )
