"""Each client's history in the scale dataset: enrollment episodes, contacts, jobs with follow-along
supports, benefits sessions, education; and each specialist's employer contacts.

Rates follow the demo and the IPS reference: about 20 client contacts per enrolled year, 4-6 employer
contacts per specialist per week (fewer at part time), about a third of the open caseload working.
"""

from __future__ import annotations

import datetime
import json
import random

from clients.models import (
    Benefit,
    ClosureReason,
    ContactMode,
    ContactWith,
    DiagnosisGroup,
    EducationLevel,
    WorkIncentive,
)
from jobs.models import ContactPurpose, JobEndType

from ..names import CONTACT_NOTES, FIRST_NAMES, LAST_NAMES, SUPPORT_NOTES
from .organisation import ProgramPlan, Staff
from .writer import Sink, columns

CONTACTS_PER_YEAR = 20
EPISODE_MEAN_DAYS = 600
FIRST_JOB_MEAN_DAYS = 120
JOB_MEAN_DAYS = 260
BETWEEN_JOBS_MEAN_DAYS = 240
DAY = datetime.timedelta(days=1)

CLIENT_COLUMNS = columns(
    "id created_at updated_at program_id record_number first_name last_name preferred_name date_of_birth "
    "phone diagnosis_group education_level disclosure_preference"
)
ENROLLMENT_COLUMNS = columns(
    "id created_at updated_at client_id referral_date enrollment_date specialist_id "
    "employed_at_enrollment closure_date closure_reason closure_note"
)
CONTACT_COLUMNS = columns("id created_at updated_at client_id staff_id contact_date with_whom mode place minutes note")
JOB_COLUMNS = columns(
    "id created_at updated_at client_id employer_id job_title occupation_group start_date hours_per_week "
    "hourly_wage is_competitive job_type disclosure benefits_discussed end_date end_type end_reason "
    "lessons_learned next_step"
)
SUPPORT_COLUMNS = columns("id created_at updated_at job_id support_date provider staff_id description minutes")
BENEFITS_COLUMNS = columns(
    "id created_at updated_at client_id session_date counselor_name counselor_type benefits_held "
    "work_incentives_discussed written_plan_given next_review_date notes"
)
EDUCATION_COLUMNS = columns("id created_at updated_at client_id institution program_of_study start_date end_date")
EMPLOYER_CONTACT_COLUMNS = columns(
    "id created_at updated_at employer_id specialist_id contact_date contact_person face_to_face "
    "client_specific made_by purpose outcome next_step"
)
CLOSURE_REASONS = [c.value for c in ClosureReason]
CLOSURE_WEIGHTS = [22, 18, 12, 20, 10, 2, 1, 10, 5]
WITH_WHOM = [ContactWith.CLIENT.value] * 8 + [ContactWith.MH_TEAM.value, ContactWith.FAMILY.value]
MODES = (
    [ContactMode.FACE_TO_FACE.value] * 6
    + [ContactMode.PHONE.value] * 2
    + [ContactMode.TEXT.value, ContactMode.VIDEO.value]
)
PURPOSES = [ContactPurpose.INTRODUCTION.value] * 3 + [p.value for p in ContactPurpose]
END_TYPES = [JobEndType.QUIT.value] * 3 + [e.value for e in JobEndType]


class Histories:
    def __init__(
        self, sink: Sink, rng: random.Random, history_start: datetime.date, today: datetime.date, now: str
    ) -> None:
        self.sink, self.rng, self.start, self.today, self.now = sink, rng, history_start, today, now

    def program(self, plan: ProgramPlan) -> None:
        open_clients: list[int] = []
        span = (self.today - self.start).days
        weights = [s.weight for s in plan.current]
        for k in range(plan.size):
            client_id = self._client(plan, k)
            referral = self.start + datetime.timedelta(days=self.rng.randrange(span))
            while True:
                closure = self._episode(plan, client_id, referral, weights)
                if closure is None:
                    open_clients.append(client_id)
                    break
                again = closure + datetime.timedelta(days=self.rng.randrange(30, 400))
                if again >= self.today or self.rng.random() > 0.15:
                    break  # 15% come back after a closure
                referral = again
        for staff in plan.current + plan.former:
            self._employer_contacts(plan, staff, open_clients)

    def _row(self, table: str, columns: tuple[str, ...], *values: object) -> int:
        pk = self.sink.next_id(table)
        self.sink.add(table, columns, (pk, self.now, self.now, *values))
        return pk

    def _client(self, plan: ProgramPlan, k: int) -> int:
        rng = self.rng
        born = datetime.date(rng.randrange(1960, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
        return self._row(
            "clients_client",
            CLIENT_COLUMNS,
            plan.program_id,
            f"S{k + 1:05d}",
            rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES),
            "",
            born,
            "",
            rng.choices([d.value for d in DiagnosisGroup], [30, 25, 25, 10, 10])[0],
            rng.choice([e.value for e in EducationLevel]),
            "undecided",
        )

    def _specialist(self, plan: ProgramPlan, day: datetime.date) -> Staff:
        in_post = [s for s in plan.current + plan.former if s.start <= day and (s.end is None or s.end >= day)]
        return self.rng.choice(in_post) if in_post else plan.current[0]

    def _episode(
        self, plan: ProgramPlan, client_id: int, referral: datetime.date, weights: list[float]
    ) -> datetime.date | None:
        """One enrollment episode and what happened in it; its closure date, or None while open."""
        rng = self.rng
        enrolled: datetime.date | None = min(referral + rng.randrange(0, 22) * DAY, self.today)
        length = int(rng.expovariate(1 / EPISODE_MEAN_DAYS)) + 14
        if rng.random() < 0.03:
            enrolled, length = None, rng.randrange(20, 90)  # referred, never engaged
        start = enrolled or referral
        closure: datetime.date | None = start + length * DAY
        if closure is not None and closure >= self.today:
            closure = None
        # An open episode is on a current caseload; a closed one was with whoever was in post then.
        staff = rng.choices(plan.current, weights)[0] if closure is None else self._specialist(plan, start)
        reason = rng.choices(CLOSURE_REASONS, CLOSURE_WEIGHTS)[0] if closure else ""
        if enrolled is None and closure:
            reason = ClosureReason.LOST_CONTACT.value
        self._row(
            "clients_enrollment",
            ENROLLMENT_COLUMNS,
            client_id,
            referral,
            enrolled,
            staff.user_id,
            rng.random() < 0.1,
            closure,
            reason,
            "",
        )
        if enrolled is None:
            return closure
        last = closure or self.today
        days = (last - enrolled).days
        for _ in range(round(days / 365 * CONTACTS_PER_YEAR * rng.uniform(0.6, 1.4))):
            mode = rng.choice(MODES)
            self._row(
                "clients_contact",
                CONTACT_COLUMNS,
                client_id,
                staff.user_id,
                enrolled + rng.randrange(days + 1) * DAY,
                rng.choice(WITH_WHOM),
                mode,
                "community" if mode == "face_to_face" and rng.random() < 0.7 else "office",
                rng.randrange(10, 91),
                rng.choice(CONTACT_NOTES) if rng.random() < 0.3 else "",
            )
        self._jobs(plan, client_id, enrolled, closure, staff.user_id)
        if rng.random() < 0.45 and enrolled + 90 * DAY <= last:
            session = enrolled + rng.randrange(90) * DAY
            self._row(
                "clients_benefitscounselingsession",
                BENEFITS_COLUMNS,
                client_id,
                session,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                rng.choice(["internal", "wipa"]),
                json.dumps(rng.sample([b.value for b in Benefit], rng.randrange(1, 3))),
                json.dumps(rng.sample([w.value for w in WorkIncentive], rng.randrange(0, 3))),
                rng.random() < 0.6,
                session + 180 * DAY if rng.random() < 0.5 else None,
                "",
            )
        if rng.random() < 0.06:
            ends = enrolled + rng.randrange(90, 400) * DAY
            self._row(
                "clients_educationactivity",
                EDUCATION_COLUMNS,
                client_id,
                "Scale Community College",
                "Certificate course",
                enrolled,
                ends if ends <= self.today else None,
            )
        return closure

    def _jobs(
        self, plan: ProgramPlan, client_id: int, enrolled: datetime.date, closure: datetime.date | None, staff: int
    ) -> None:
        rng = self.rng
        last = closure or self.today
        day = enrolled + (int(rng.expovariate(1 / FIRST_JOB_MEAN_DAYS)) + 7) * DAY
        while day < last and rng.random() < 0.8:
            employer = rng.choice(plan.employer_ids)
            title, group = plan.employer_titles[employer]
            end: datetime.date | None = day + (int(rng.expovariate(1 / JOB_MEAN_DAYS)) + 7) * DAY
            if end is not None and end >= last:
                end = closure  # still working, or the job ends with the episode
            job = self._row(
                "jobs_jobstart",
                JOB_COLUMNS,
                client_id,
                employer,
                title,
                group,
                day,
                None if rng.random() < 0.05 else str(rng.randrange(8, 41)),
                f"{rng.randrange(1200, 2800) / 100:.2f}",
                rng.random() < 0.92,
                "permanent",
                rng.choice(["none", "none", "partial", "full"]),
                rng.random() < 0.5,
                end,
                rng.choice(END_TYPES) if end else "",
                "",
                "",
                "",
            )
            for _ in range(rng.randrange(1, 5)):
                support = day + rng.randrange(1, 60) * DAY
                if support <= (end or self.today):
                    self._row(
                        "jobs_followalongsupport",
                        SUPPORT_COLUMNS,
                        job,
                        support,
                        "specialist",
                        staff,
                        rng.choice(SUPPORT_NOTES) or "Check-in",
                        rng.randrange(15, 61),
                    )
            if end is None:
                return
            day = end + (int(rng.expovariate(1 / BETWEEN_JOBS_MEAN_DAYS)) + 14) * DAY

    def _employer_contacts(self, plan: ProgramPlan, staff: Staff, open_clients: list[int]) -> None:
        """4-6 a week per full-time specialist over the tenure inside the history; a third about one client."""
        rng = self.rng
        week = max(staff.start, self.start)
        last = staff.end or self.today
        while week <= last:
            for _ in range(round(rng.choice((4, 5, 5, 6)) * float(staff.fte))):
                day = week + rng.randrange(7) * DAY
                if day > last:
                    continue
                about_client = open_clients and rng.random() < 0.3
                pk = self._row(
                    "jobs_employercontact",
                    EMPLOYER_CONTACT_COLUMNS,
                    rng.choice(plan.employer_ids),
                    staff.user_id,
                    day,
                    "",
                    rng.random() < 0.85,
                    bool(about_client),
                    "specialist",
                    "client_specific" if about_client else rng.choice(PURPOSES),
                    "",
                    "",
                )
                if about_client:
                    self.sink.add(
                        "jobs_employercontact_clients",
                        ("id", "employercontact_id", "client_id"),
                        (self.sink.next_id("jobs_employercontact_clients"), pk, rng.choice(open_clients)),
                    )
            week += 7 * DAY
