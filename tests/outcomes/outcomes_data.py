"""Dates and record builders of the outcomes tests' hand-computed fixture (`world`, in conftest.py)."""

import datetime
from decimal import Decimal

from outcomes import metrics as m

from .. import factories as f

D = datetime.date
Q1 = m.Period.custom(D(2026, 1, 1), D(2026, 3, 31))  # 90 days
AS_OF = D(2026, 4, 5)


def enrol(client, start, *, closed=None, specialist=None, employed=False, referral=None):
    return f.EnrollmentFactory(
        client=client,
        referral_date=referral or (start - datetime.timedelta(days=7)),
        enrollment_date=start,
        closure_date=closed,
        closure_reason="moved" if closed else "",
        specialist=specialist,
        employed_at_enrollment=employed,
    )


def job(client, start, end=None, *, hours="20", wage="15.00", competitive=True, group="35"):
    return f.JobStartFactory(
        client=client,
        start_date=start,
        end_date=end,
        end_type="quit" if end else "",
        hours_per_week=None if hours is None else Decimal(hours),
        hourly_wage=None if wage is None else Decimal(wage),
        is_competitive=competitive,
        occupation_group=group,
    )


def employer_contact(employer, day, specialist, clients=(), face_to_face=True):
    return f.EmployerContactFactory(
        employer=employer, contact_date=day, specialist=specialist, face_to_face=face_to_face, clients=list(clients)
    )
