"""The querysets behind the numbers (drill-downs and data quality) list exactly the records counted
in the hand-computed fixture (`world`, conftest.py).
"""

import pytest

from clients.models import ContactMode
from outcomes import metrics as m

from .outcomes_data import AS_OF, Q1, D

pytestmark = pytest.mark.django_db


def test_drill_downs_match_the_counts(world):
    c, programs = world["c"], world["programs"]
    assert set(m.active_clients(programs, Q1)) == {c[1], c[2], c[4], c[5], c[6], c[7], c[8]}
    assert m.active_clients(programs, Q1).count() == 7  # c6 and c7 (two episodes each) once
    assert set(m.working_clients(programs, Q1)) == {c[4], c[5], c[6]}
    # 8 episodes: c1, c2, c4, c5, c6 (2nd), c7 (both), c8.
    assert m.active_enrollments(programs, Q1).count() == 8
    assert sorted(j.start_date for j in m.first_job_starts(programs, Q1)) == [D(2026, 2, 2), D(2026, 3, 1)]
    assert m.job_starts(programs, Q1).count() == 3
    assert m.jobs_held(programs, Q1).count() == 4
    assert m.new_enrollments(programs, Q1).count() == 3
    assert m.closures(programs, Q1).count() == 2
    assert list(m.clients_in_education(programs, Q1)) == [c[8]]
    assert m.employer_contacts(programs, Q1).count() == 5
    assert m.employer_contacts(programs, Q1, face_to_face=None).count() == 7  # + phone (S2) + S1's non-f2f


def test_first_contact_drill_down(world):
    c = world["c"]
    rows = {e.client_id: e.first_contact_date for e in m.first_contact_enrollments(world["programs"], Q1, as_of=AS_OF)}
    # c1 not contacted; c6 on 01-25 (the 2025 contact predates the episode); c7 on 03-22 (phone ignored).
    assert rows == {c[1].pk: None, c[6].pk: D(2026, 1, 25), c[7].pk: D(2026, 3, 22)}


def test_job_spanning_two_quarters_counts_in_both(world):
    c4 = world["c"][4]
    q4 = m.Period.custom(D(2025, 10, 1), D(2025, 12, 31))
    assert c4 in m.working_clients(world["programs"], q4)
    assert c4 in m.working_clients(world["programs"], Q1)
    # ... but it is a start of Q4 only.
    assert not m.job_starts(world["programs"], Q1).filter(client=c4).exists()


def test_data_quality(world):
    dq = m.data_quality(world["programs"], Q1)
    assert list(dq.enrollments_missing_dates) == [world["missing"]]
    assert list(dq.jobs_missing_fields) == [world["job_a"]]
    assert list(dq.contacts_missing_mode) == [world["no_mode"]]
    data = dq.as_dict()
    assert data["enrollments_missing_dates"] == {"count": 1, "ids": [world["missing"].pk]}
    assert world["no_mode"].mode == ""
    assert ContactMode.FACE_TO_FACE != ""
