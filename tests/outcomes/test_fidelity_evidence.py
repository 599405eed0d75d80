"""The fidelity-evidence figures (job-type and employer diversity, competitive share, follow-along,
community share) and their drill-downs, against the hand-computed fixture."""

import pytest

from clients.models import ContactPlace
from jobs.models import JobStart
from outcomes import metrics as m

from .. import factories as f
from .outcomes_data import Q1, D

pytestmark = pytest.mark.django_db


def test_fidelity_figures(world):
    c = world["c"]
    JobStart.objects.filter(client=c[6], start_date=D(2026, 3, 20)).update(occupation_group="41")
    c5_job = JobStart.objects.get(client=c[5])
    f.FollowAlongSupportFactory(job=c5_job, support_date=D(2026, 2, 5))  # 3 days after the start: in time
    f.FollowAlongSupportFactory(job=world["job_a"], support_date=D(2026, 3, 5))  # 4 days: late
    f.ContactFactory(client=c[6], contact_date=D(2026, 3, 22), place=ContactPlace.OFFICE, minutes=10)
    programs = world["programs"]
    # All starts of active clients in Q1: c5 (35), c6A (35), c6B (41), c8 non-competitive (35) = 4.
    assert m.job_type_diversity(programs, Q1) == m.Rate(2, 4)
    assert m.employer_diversity(programs, Q1) == m.Rate(4, 4)  # the factory makes an employer per job
    assert m.competitive_share(programs, Q1) == m.Rate(3, 4)
    # Competitive starts: c5 (support +3 days: yes), c6A (support +4, contact +21: no),
    # c6B (client contact 03-22 = +2 days: yes) -> 2/3.
    assert m.follow_along_within(programs, Q1) == m.Rate(2, 3)
    assert m.follow_along_within(programs, Q1, days=4) == m.Rate(3, 3)
    # Client contacts in Q1 with minutes: c4 30 min community, c6 10 min office -> 30/40.
    assert m.community_share(programs, Q1) == m.Rate(30, 40)
    # The drill-downs behind those rates.
    assert m.all_job_starts(programs, Q1).count() == 4
    followed = {j.start_date: j.followed_up for j in m.job_starts_with_follow_up(programs, Q1)}
    assert followed == {D(2026, 2, 2): True, D(2026, 3, 1): False, D(2026, 3, 20): True}
    assert m.client_contacts(programs, Q1).count() == 2
