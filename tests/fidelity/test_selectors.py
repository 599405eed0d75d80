"""fidelity.selectors: each program's latest finalized review with its level, in bounded queries."""

import datetime

import pytest

from fidelity.models import ReviewStatus, ReviewType
from fidelity.selectors import latest_reviews, next_due_date
from programs.models import Program

from .. import factories as f
from .support import finalized_stub

pytestmark = pytest.mark.django_db


def test_latest_reviews_picks_the_newest_finalized_review_and_its_level():
    program = f.ProgramFactory()
    other = f.ProgramFactory(agency__region=program.agency.region)
    never = f.ProgramFactory(agency__region=program.agency.region)
    finalized_stub(program, 90, datetime.date(2025, 5, 1))
    newest = finalized_stub(program, 104, datetime.date(2025, 11, 1))
    # A later review still being scored does not count.
    f.FidelityReviewFactory(program=program, visit_start=datetime.date(2026, 5, 1), status=ReviewStatus.SCORING)
    other_review = finalized_stub(other, 73, datetime.date(2026, 1, 10))

    result = latest_reviews(Program.objects.filter(pk__in=[program.pk, other.pk, never.pk]))

    assert set(result) == {program.pk, other.pk}
    assert result[program.pk].pk == newest.pk
    assert result[program.pk].total_score == 104
    assert result[program.pk].level.code == "good"
    assert result[other.pk].pk == other_review.pk
    assert result[other.pk].level.code == "not_supported"


def test_latest_reviews_accepts_a_list_of_programs_and_ignores_other_programs():
    program = f.ProgramFactory()
    outsider = f.ProgramFactory()
    finalized_stub(program, 117, datetime.date(2026, 2, 1))
    finalized_stub(outsider, 100, datetime.date(2026, 2, 1))
    result = latest_reviews([program])
    assert list(result) == [program.pk]
    assert result[program.pk].level.code == "exemplary"


def test_latest_reviews_runs_a_bounded_number_of_queries(django_assert_max_num_queries):
    region = f.RegionFactory()
    for n in range(8):
        program = f.ProgramFactory(agency__region=region)
        finalized_stub(program, 80 + n, datetime.date(2025, 6, 1))
        finalized_stub(program, 90 + n, datetime.date(2026, 1, 1))
    with django_assert_max_num_queries(2):
        result = latest_reviews(Program.objects.filter(agency__region=region))
        levels = [(r.total_score, r.level.code, r.program.name) for r in result.values()]
    assert len(levels) == 8
    assert sorted(total for total, _, _ in levels) == list(range(90, 98))


def test_a_self_assessment_is_not_the_programs_fidelity_of_record():
    """The program's own later self-assessment neither replaces its external score (regional view,
    scatter) nor pushes back its next external review."""
    program = f.ProgramFactory()
    external = finalized_stub(program, 92, datetime.date(2025, 9, 1))
    own = finalized_stub(program, 118, datetime.date(2026, 1, 15))
    own.review_type = ReviewType.SELF_ASSESSMENT
    own.save()
    latest = latest_reviews([program])[program.pk]
    assert latest.pk == external.pk and latest.total_score == 92
    assert next_due_date(latest) == datetime.date(2026, 3, 1)  # 6 months: below good fidelity
