"""Evidence from program data (fidelity/suggestions.py) against hand-computed fixtures.

Review period 2026-01-01 .. 2026-03-31 (90 days = 12.857 weeks), visit 2026-04-06/07, two specialists.
Hand-computed figures and the anchors they point to:
  1  caseload: 40 clients enrolled before + 6 enrolled in the period, all open at the end: 46 / 2 = 23.0 -> 4
  15 first face-to-face employer contact after enrollment for the 6 new clients: 5, 10, 45, 50, 80 days and
     one never contacted: median 45 -> 4
  17 face-to-face employer contacts: 5 client-linked + 98 others = 103 (10 phone contacts not counted):
     103 / 2 / (90 / 7) = 4.0056 a week -> 3
  19 10 job starts in 7 occupation groups: 70% -> 4
  20 10 job starts with 6 employers: 60% -> 3
  21 9 of 10 starts competitive: 90% -> 4
  23 of the 9 competitive starts, 6 have a support within 3 days (one at +5 days, two none): 66.7% -> 3
  24 client contacts 600 minutes in the community, 400 in the office: 60% -> 4
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from benchmarks.models import SUGGESTION_HINTS, BenchmarkSettings
from fidelity import selectors, suggestions
from fidelity.suggestions import band_score
from jobs.models import OccupationGroup as G
from programs.models import Role

from .. import factories as f
from .support import schedule

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
VISIT = datetime.date(2026, 4, 6)
day = datetime.timedelta(days=1)


def build_program_data(program, s1):
    """`s1` is the program's existing specialist; a second one is added."""
    s2 = f.make_user(Role.SPECIALIST, program=program, username="sugg_s2")
    old = []
    for n in range(40):
        enrollment = f.EnrollmentFactory(
            client__program=program, enrollment_date=datetime.date(2025, 12, 1), specialist=(s1, s2)[n % 2]
        )
        old.append(enrollment.client)
    employers = [f.EmployerFactory(program=program, name=f"Evidence Employer {n}") for n in range(6)]
    # 15: six new clients, first face-to-face employer contact 5, 10, 45, 50, 80 days after enrolling, one never.
    enrolled = datetime.date(2026, 1, 2)
    for n, days in enumerate([5, 10, 45, 50, 80, None]):
        client = f.EnrollmentFactory(client__program=program, enrollment_date=enrolled, specialist=s1).client
        if days is not None:
            f.EmployerContactFactory(
                employer=employers[n], specialist=s1, contact_date=enrolled + days * day, clients=[client]
            )
    # 17: 98 more face-to-face contacts in the period, and 10 phone contacts that do not count.
    for n in range(98):
        f.EmployerContactFactory(
            employer=employers[n % 6], specialist=(s1, s2)[n % 2], contact_date=START + n % 90 * day
        )
    for n in range(10):
        f.EmployerContactFactory(employer=employers[0], specialist=s2, contact_date=START + n * day, face_to_face=False)
    # 19/20/21/23: ten job starts.
    groups = [G.FOOD, G.FOOD, G.FOOD, G.SALES, G.OFFICE, G.BUILDING, G.PRODUCTION, G.ARTS, G.COMPUTER, G.FOOD]
    employer_index = [0, 0, 0, 1, 2, 3, 4, 5, 1, 2]
    for n in range(10):
        job = f.JobStartFactory(
            client=old[n],
            employer=employers[employer_index[n]],
            occupation_group=groups[n],
            start_date=datetime.date(2026, 2, 2) + n * day,
            is_competitive=n != 9,
        )
        if n < 6:
            f.FollowAlongSupportFactory(job=job, support_date=job.start_date + 2 * day)
        elif n == 6:
            f.FollowAlongSupportFactory(job=job, support_date=job.start_date + 5 * day)
    # 24: client contacts (on a day far from any job start), 600 community minutes, 400 office minutes.
    for n in range(10):
        f.ContactFactory(
            client=old[20 + n],
            staff=s1,
            contact_date=datetime.date(2026, 1, 5),
            place="community" if n < 6 else "office",
            minutes=100,
        )
    return s1, s2


@pytest.fixture
def review(ns):
    build_program_data(ns.program, ns.specialist)
    return schedule(ns, visit=VISIT, period_start=START, period_end=END), ns


def test_suggestions_match_the_hand_computed_figures_and_anchors(review):
    review, _ = review
    items = selectors.scale_items(review.scale)
    result = suggestions.suggestions_for_review(review, items)
    assert sorted(result) == [1, 15, 17, 19, 20, 21, 23, 24]
    figures = {n: (round(s.value, 2), s.score) for n, s in result.items()}
    assert figures == {
        1: (23.0, 4),
        15: (47.5, 4),  # 5, 10, 45, 50, 80 days and one never contacted (ranked last): (45 + 50) / 2
        17: (4.01, 3),
        19: (70.0, 4),
        20: (60.0, 3),
        21: (90.0, 4),
        23: (66.67, 3),
        24: (60.0, 4),
    }
    assert (result[21].numerator, result[21].denominator) == (9, 10)
    assert result[21].display == "90.0% (9 of 10)"
    assert result[17].anchor_text.startswith("Each specialist averages four face-to-face employer contacts")
    assert result[1].url == reverse("fidelity:evidence", args=[review.pk, "caseload"])


def test_the_bands_come_from_the_benchmark_settings(review):
    review, _ = review
    items = selectors.scale_items(review.scale)
    settings = BenchmarkSettings.current()
    settings.ips25_competitive_jobs_5 = 90  # 90% competitive starts now reach anchor 5 (was 4)
    settings.ips25_caseload_4 = 22  # 23 clients a specialist now fall to anchor 3 (was 4)
    settings.save()
    result = suggestions.suggestions_for_review(review, items)
    assert (result[21].score, result[1].score) == (5, 3)
    assert result[21].anchor_text == items[20].anchors.get(score=5).text
    assert (result[19].score, result[24].score) == (4, 4)  # the other bands are untouched


def test_band_cut_offs_must_run_in_order():
    settings = BenchmarkSettings.current()
    settings.ips25_caseload_4 = 19  # below the anchor-5 cut-off of 20: no figure could score 4
    with pytest.raises(ValidationError, match="run in order"):
        settings.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        settings.save()


def test_every_banded_figure_has_a_label():
    assert set(suggestions.FIGURES) == set(SUGGESTION_HINTS)


def test_a_suggestion_never_fills_in_a_score(client, review):
    review, ns = review
    client.force_login(ns.trainer1)
    body = client.get(reverse("fidelity:score", args=[review.pk])).content.decode()
    assert "From the program&#x27;s data" in body or "From the program's data" in body
    assert "points to anchor <strong>3</strong>" in body
    assert " checked" not in body
    assert not review.item_scores.filter(reviewer_scores__isnull=False).exists()


@pytest.mark.parametrize("hint", sorted(suggestions.FIGURES))
def test_evidence_pages_show_aggregates_without_client_names(client, review, hint, django_assert_max_num_queries):
    review, ns = review
    client.force_login(ns.trainer1)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("fidelity:evidence", args=[review.pk, hint]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Behind the figure" in body and "Clientfirst" not in body and "Clientlast" not in body
    client.force_login(ns.outsider)
    assert client.get(reverse("fidelity:evidence", args=[review.pk, hint])).status_code == 404


def test_evidence_breakdown_adds_up_to_the_figure(review):
    review, _ = review
    occupation = suggestions.breakdown(review, "job_type_diversity")
    assert len(occupation["rows"]) == 7 and sum(r[1] for r in occupation["rows"]) == 10
    employers = suggestions.breakdown(review, "employer_diversity")
    assert len(employers["rows"]) == 6
    places = {r[0]: r[2] for r in suggestions.breakdown(review, "community_services")["rows"]}
    assert places == {"In the community": 600, "In the office": 400}


def test_no_data_gives_no_suggested_score(ns):
    review = schedule(ns, visit=VISIT, period_start=START, period_end=END)
    result = suggestions.suggestions_for_review(review, selectors.scale_items(review.scale))
    assert result[19].value is None and result[19].score is None
    assert result[19].display == "No data in the review period"
    assert result[1].value is None and result[1].score is None  # no clients: no caseload evidence
    assert result[17].score == 1  # specialists but no employer contacts logged: that is evidence


@pytest.mark.parametrize(
    ("hint", "value", "score"),
    [
        ("caseload", 20, 5),
        ("caseload", 20.5, 4),
        ("caseload", 25, 4),
        ("caseload", 30, 3),
        ("caseload", 40, 2),
        ("caseload", 41, 1),
        ("rapid_job_search", 30, 5),
        ("rapid_job_search", 31, 4),
        ("rapid_job_search", 150, 3),
        ("rapid_job_search", 270, 2),
        ("rapid_job_search", 271, 1),
        ("employer_contacts", 6, 5),
        ("employer_contacts", 5.9, 4),
        ("employer_contacts", 4, 3),
        ("employer_contacts", 2, 2),
        ("employer_contacts", 1.99, 1),
        ("job_type_diversity", 85, 5),
        ("job_type_diversity", 84.9, 4),
        ("employer_diversity", 60, 3),
        ("employer_diversity", 49.9, 1),
        ("competitive_jobs", 95, 5),
        ("competitive_jobs", 65, 2),
        ("competitive_jobs", 64.9, 1),
        ("follow_along", 90, 5),
        ("follow_along", 24, 1),
        ("community_services", 65, 5),
        ("community_services", 29.9, 1),
        ("community_services", None, None),
    ],
)
def test_band_boundaries(hint, value, score):
    assert band_score(hint, value) == score


def test_band_score_reads_the_settings_it_is_given():
    settings = BenchmarkSettings(ips25_rapid_job_search_5=45)
    assert band_score("rapid_job_search", 45) == 4
    assert band_score("rapid_job_search", 45, settings) == 5
