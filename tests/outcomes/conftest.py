"""Fixtures of the outcomes tests: `world`, one program whose every figure is worked out by hand."""

import pytest

from programs.models import Program, Role

from .. import factories as f
from .outcomes_data import D, employer_contact, enrol, job


@pytest.fixture
def world(db):
    """Program P, specialists S1 and S2, a supervisor, and these clients (quarter Q1 = 2026-01-01..03-31):

    c1  enrolled 2026-03-31 (last day of Q1), S1                         -> active, new
    c2  2025-06-01 .. closed 2026-01-01 (first day), S1                  -> active, closure
    c3  2025-05-01 .. closed 2025-12-31 (day before), S1, job 2025-11-01 open -> NOT active
    c4  2025-09-01, S2, job 2025-12-01..2026-02-15 25 h $16              -> working Q4 and Q1
    c5  2025-10-15, S2, employed at enrollment, job 2026-02-02 open 10 h $14 -> working, first start
    c6  ep1 2025-01-10..2025-08-31 S1, job 2025-03-01..2025-06-30;
        ep2 2026-01-15 S2, job A 2026-03-01 open (no hours) $18, job B 2026-03-20 open 20 h $15
                                                                         -> once; A first start, B not
    c7  ep1 2025-11-01..closed 2026-01-20 S1; ep2 2026-02-10 S2          -> once, attributed to S2
    c8  2025-08-01, S1, NON-competitive job 2026-01-05 open; education 2025-09-01..2026-01-10
    c9  referred 2025-12-01, no enrollment date                          -> data quality only
    c10 2025-02-01..2025-06-30 S1, job 2026-09-15 (19.5 months later)    -> cohort, not started
    c11 2025-03-31..2025-05-01 S1, job 2026-09-30 (exactly 18 months)    -> cohort, started
    """
    program = f.ProgramFactory(name="Metrics Program")
    s1 = f.make_user(Role.SPECIALIST, program=program, username="metrics_s1", last_name="Aaa")
    s2 = f.make_user(Role.SPECIALIST, program=program, username="metrics_s2", last_name="Bbb")
    sup = f.make_user(Role.SUPERVISOR, program=program, username="metrics_sup")
    employer = f.EmployerFactory(program=program)
    c = {i: f.ClientFactory(program=program) for i in range(1, 12)}

    enrol(c[1], D(2026, 3, 31), specialist=s1)
    enrol(c[2], D(2025, 6, 1), closed=D(2026, 1, 1), specialist=s1)
    enrol(c[3], D(2025, 5, 1), closed=D(2025, 12, 31), specialist=s1)
    job(c[3], D(2025, 11, 1))
    enrol(c[4], D(2025, 9, 1), specialist=s2)
    job(c[4], D(2025, 12, 1), D(2026, 2, 15), hours="25", wage="16.00")
    enrol(c[5], D(2025, 10, 15), specialist=s2, employed=True)
    job(c[5], D(2026, 2, 2), hours="10", wage="14.00")
    enrol(c[6], D(2025, 1, 10), closed=D(2025, 8, 31), specialist=s1)
    job(c[6], D(2025, 3, 1), D(2025, 6, 30))
    enrol(c[6], D(2026, 1, 15), specialist=s2)
    job_a = job(c[6], D(2026, 3, 1), hours=None, wage="18.00")
    job(c[6], D(2026, 3, 20), hours="20", wage="15.00")
    enrol(c[7], D(2025, 11, 1), closed=D(2026, 1, 20), specialist=s1)
    enrol(c[7], D(2026, 2, 10), specialist=s2)
    enrol(c[8], D(2025, 8, 1), specialist=s1)
    job(c[8], D(2026, 1, 5), competitive=False)
    f.EducationActivityFactory(client=c[8], start_date=D(2025, 9, 1), end_date=D(2026, 1, 10))
    f.EducationActivityFactory(client=c[3], start_date=D(2025, 9, 1))  # c3 is not active
    f.EducationActivityFactory(client=c[1], start_date=D(2026, 4, 1))  # after Q1
    missing = enrol(c[9], None, referral=D(2025, 12, 1))
    enrol(c[10], D(2025, 2, 1), closed=D(2025, 6, 30), specialist=s1)
    job(c[10], D(2026, 9, 15))
    enrol(c[11], D(2025, 3, 31), closed=D(2025, 5, 1), specialist=s1)
    job(c[11], D(2026, 9, 30))

    # Employer contacts. Face to face in Q1 by specialists: 2 by S2 (client-linked) + 3 by S1 = 5.
    employer_contact(employer, D(2025, 6, 1), s2, [c[6]])  # before c6's 2nd enrollment: ignored
    employer_contact(employer, D(2026, 1, 25), s2, [c[6]])  # c6: 10 days after 2026-01-15
    employer_contact(employer, D(2026, 2, 12), s2, [c[7]], face_to_face=False)  # phone: ignored
    employer_contact(employer, D(2026, 3, 22), s2, [c[7]])  # c7: 40 days after 2026-02-10
    for day in (D(2026, 1, 6), D(2026, 2, 6), D(2026, 3, 6)):
        employer_contact(employer, day, s1)
    employer_contact(employer, D(2026, 3, 7), s1, face_to_face=False)  # not face to face
    employer_contact(employer, D(2026, 3, 8), sup)  # a supervisor is not a specialist
    employer_contact(employer, D(2025, 12, 30), s1)  # before Q1
    no_mode = f.ContactFactory(client=c[4], contact_date=D(2026, 2, 1), mode="")

    return {
        "program": program,
        "programs": Program.objects.filter(pk=program.pk),
        "s1": s1,
        "s2": s2,
        "c": c,
        "job_a": job_a,
        "missing": missing,
        "no_mode": no_mode,
    }
