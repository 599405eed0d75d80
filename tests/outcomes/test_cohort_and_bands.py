"""The cohort (cumulative) rate and the benchmark bands of the quarterly rate."""

from decimal import Decimal

import pytest

from benchmarks.models import BenchmarkSettings
from outcomes import metrics as m

from .outcomes_data import D

pytestmark = pytest.mark.django_db


def test_cohort_rate(world):
    cohort = m.Period.custom(D(2025, 1, 1), D(2025, 3, 31))
    # Enrolled in the cohort: c6 (01-10, job 2025-03-01), c10 (02-01, job 19.5 months later),
    # c11 (03-31, job 2026-09-30 = exactly 18 months). Follow-up ends 2025-03-31 + 18 m = 2026-09-30.
    done = m.cohort_rate(world["programs"], cohort, as_of=D(2026, 10, 1))
    assert done == m.CohortRate(m.Rate(2, 3), 18, True)
    # As of 2026-06-01 c11's job has not started yet and follow-up is incomplete.
    running = m.cohort_rate(world["programs"], cohort, as_of=D(2026, 6, 1))
    assert running == m.CohortRate(m.Rate(1, 3), 18, False)
    started = {
        e.client_id: e.started_job for e in m.cohort_enrollments(world["programs"], cohort, as_of=D(2026, 10, 1))
    }
    assert started == {world["c"][6].pk: True, world["c"][10].pk: False, world["c"][11].pk: True}
    # With 24 months c10's job (2026-09-15, within 2027-02-01) counts too.
    assert m.cohort_rate(world["programs"], cohort, months=24, as_of=D(2027, 6, 1)).rate == m.Rate(3, 3)


@pytest.mark.parametrize(
    ("numerator", "denominator", "code"),
    [
        (30, 100, "below_minimal"),
        (31, 100, "minimal"),  # exactly the minimal benchmark
        (40, 100, "minimal"),
        (41, 100, "average"),  # exactly average
        (49, 100, "average"),
        (50, 100, "excellent"),  # exactly excellent
        (1, 2, "too_few"),  # 2 clients < 10 (small_numbers_min): not banded
        (9, 9, "too_few"),
        (3, 10, "below_minimal"),  # 10 clients: judged
        (0, 0, "no_data"),
    ],
)
def test_rate_band_boundaries(db, numerator, denominator, code):
    assert m.rate_band(m.Rate(numerator, denominator)).code == code


def test_rate_band_reads_the_settings(db):
    settings = BenchmarkSettings.current()
    settings.quarterly_rate_minimal = Decimal("20")
    settings.quarterly_rate_average = Decimal("30")
    settings.quarterly_rate_excellent = Decimal("33.33")
    settings.small_numbers_min = 3
    settings.save()
    assert m.rate_band(m.Rate(1, 5)).code == "minimal"  # 20% = minimal
    assert m.rate_band(m.Rate(1, 3)).code == "excellent"  # 33.333...% >= 33.33
    assert m.rate_band(m.Rate(3333, 10001)).code == "average"  # 33.3267% < 33.33
    band = m.rate_band(m.Rate(1, 2))  # 2 clients < 3
    assert (band.code, band.label) == ("too_few", "Not reliable: fewer than 3 clients")


def test_the_ips_grow_rate_is_compared_with_its_own_benchmark():
    """Over clients out of work at enrollment the rate is IPS Grow's: 40%, not the 31/41/50 bands."""
    rate = m.Rate(39, 100)
    assert m.rate_band(rate, denominator="all_active").code == "minimal"
    assert m.rate_band(rate, denominator="out_of_work").code == "below_ips_grow"
    assert m.rate_band(m.Rate(40, 100), denominator="out_of_work").code == "meets_ips_grow"
    bench = BenchmarkSettings.current()
    bench.employment_rate_denominator = "out_of_work"
    bench.save()
    assert m.rate_band(rate).code == "below_ips_grow"  # the settings' default, as in outcomes()
