"""Evidence from the program's own data for the IPS-25 items that records can inform.

For items 1, 15, 17, 19, 20, 21, 23 and 24 (FidelityItem.data_hint names which figure), the figure for
the review period comes from outcomes/metrics.py (the one place outcome numbers are computed) and is
mapped to the anchor it points to. A suggestion is shown next to the item; it never fills in a score.

The bands are thresholds, kept with the others in BenchmarkSettings (`ips25_<hint>_<anchor>`, see
benchmarks.models.SUGGESTION_HINTS); their defaults follow the scale's anchors (section 4 of the IPS
reference):
- caseload (1): clients per specialist <=20 -> 5, 21-25 -> 4, 26-30 -> 3, 31-40 -> 2, >=41 -> 1
- rapid_job_search (15): median days to first face-to-face employer contact <=30 / 31-60 / 61-150 / 151-270 / >270
- employer_contacts (17): face-to-face employer contacts per specialist per week >=6 -> 5, 5 -> 4, 4 -> 3,
  2-3 -> 2, <2 -> 1 (the anchor texts of items 17 in fidelity/data/ips25_2008.json)
- job_type_diversity (19), employer_diversity (20): % of jobs that differ 85-100 / 70-84 / 60-69 / 50-59 / <50
- competitive_jobs (21): % competitive >=95 / 85-94 / 75-84 / 65-74 / <=64
- follow_along (23): % of job starts with a follow-along support or client contact within
  BenchmarkSettings.job_start_followup_days (3) days. The anchors describe a whole pattern (within 3 days,
  weekly for a month, monthly for a year), of which records show the first step, so the bands are a
  judgement: >=90 -> 5, 75-89 -> 4, 50-74 -> 3, 25-49 -> 2, <25 -> 1, and the page says the figure covers
  only the first contact.
- community_services (24): % of contact minutes in the community >=65 / 50-64 / 40-49 / 30-39 / <30

Values are compared unrounded against each cut-off (so 84.6% of diverse jobs is a 4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import SUGGESTION_HINTS, BenchmarkSettings
from clients.models import Contact, ContactPlace
from jobs.models import JobStart, OccupationGroup
from outcomes import metrics
from outcomes.periods import Period
from programs.models import Program

from .models import FidelityItem, FidelityReview

Figure = tuple[float | Decimal | None, int | None, int | None]  # (value, numerator, denominator)

# data_hint -> (label, unit). The bands, and whether a higher figure is better, are in BenchmarkSettings.
FIGURES = {
    "caseload": ("Clients per employment specialist", "clients"),
    "rapid_job_search": ("Median days from enrollment to first face-to-face employer contact", "days"),
    "employer_contacts": ("Face-to-face employer contacts per specialist per week", "a week"),
    "job_type_diversity": ("Jobs that differ in job type", "%"),
    "employer_diversity": ("Jobs with different employers", "%"),
    "competitive_jobs": ("Job starts that are competitive jobs", "%"),
    "follow_along": ("Job starts with follow-along contact within the first days", "%"),
    "community_services": ("Contact time spent in the community", "%"),
}

NOTES = {
    "follow_along": "Covers only contact within the first days after a start; "
    "ask about weekly and monthly follow-along.",
    "rapid_job_search": "The anchor speaks of the average; the median is used so one outlier does not decide it.",
    "caseload": "Clients open on the period's last day divided by the full-time equivalent of the specialists in "
    "force that day (a half-time specialist counts half), as the IPS caseload benchmark is per full-time specialist.",
}


def band_score(hint: str, value: float | Decimal | None, benchmarks: BenchmarkSettings | None = None) -> int | None:
    """The anchor score a figure points to under the BenchmarkSettings bands, or None without a figure."""
    if value is None:
        return None
    higher_is_better = SUGGESTION_HINTS[hint]
    for bound, score in (benchmarks or BenchmarkSettings.current()).suggestion_bands(hint):
        if (value >= bound) if higher_is_better else (value <= bound):
            return score
    return 1


@dataclass
class Suggestion:
    hint: str
    item_number: int
    label: str
    unit: str
    value: float | None
    numerator: int | None
    denominator: int | None
    score: int | None
    anchor_text: str
    note: str
    url: str

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def display(self) -> str:
        if self.value is None:
            return "No data in the review period"
        if self.unit == "%":
            text = f"{self.value:.1f}%"
            if self.denominator is not None:
                text += f" ({self.numerator} of {self.denominator})"
            return text
        return f"{self.value:.1f} {self.unit}"


def _rate(rate: metrics.Rate) -> Figure:
    value = rate.value
    return (None if value is None else value * 100), rate.numerator, rate.denominator


RATE_FUNCTIONS: dict[str, Callable[[QuerySet[Program], Period], metrics.Rate]] = {
    "job_type_diversity": metrics.job_type_diversity,
    "employer_diversity": metrics.employer_diversity,
    "competitive_jobs": metrics.competitive_share,
    "follow_along": metrics.follow_along_within,
    "community_services": metrics.community_share,
}


def figures(programs: QuerySet[Program], period: Period, hints: Iterable[str], as_of: Any = None) -> dict[str, Figure]:
    """{hint: (value, numerator, denominator)} for the requested hints, from the metrics module."""
    hints = set(hints)
    result: dict[str, Figure] = {}
    if {"caseload", "rapid_job_search", "employer_contacts"} & hints:
        out = metrics.outcomes(programs, period, as_of=as_of)
        # No clients at all is no evidence of a small caseload.
        caseload = out.caseload_per_specialist if out.caseload_at_end else None
        result["caseload"] = (caseload, out.caseload_at_end, out.specialist_fte)
        result["rapid_job_search"] = (out.first_contact_days_median, None, None)
        result["employer_contacts"] = (out.employer_contacts_per_specialist_week, None, out.specialist_count)
    for hint, function in RATE_FUNCTIONS.items():
        if hint in hints:
            result[hint] = _rate(function(programs, period))
    return result


def review_period(review: FidelityReview) -> Period:
    return Period.custom(review.period_start, review.period_end)


def suggestions_for_review(review: FidelityReview, items: Iterable[FidelityItem]) -> dict[int, Suggestion]:
    """{item number: Suggestion} for the items with a data hint. `items` are FidelityItems with their
    anchors prefetched."""
    hinted = [item for item in items if item.data_hint in FIGURES]
    if not hinted:
        return {}
    programs = Program.objects.filter(pk=review.program_id)
    values = figures(programs, review_period(review), {item.data_hint for item in hinted}, as_of=_as_of(review))
    benchmarks = BenchmarkSettings.current()
    result = {}
    for item in hinted:
        label, unit = FIGURES[item.data_hint]
        value, numerator, denominator = values.get(item.data_hint, (None, None, None))
        score = band_score(item.data_hint, value, benchmarks)
        anchors = {a.score: a.text for a in item.anchors.all()}
        result[item.number] = Suggestion(
            hint=item.data_hint,
            item_number=item.number,
            label=label,
            unit=unit,
            value=None if value is None else float(value),
            numerator=numerator,
            denominator=denominator,
            score=score,
            anchor_text=anchors.get(score, "") if score else "",
            note=NOTES.get(item.data_hint, ""),
            url=reverse("fidelity:evidence", args=[review.pk, item.data_hint]),
        )
    return result


def band_table(item: FidelityItem) -> list[tuple[int, str]]:
    """[(score, anchor text)] best first, for showing where a figure falls."""
    return [(a.score, a.text) for a in sorted(item.anchors.all(), key=lambda a: -a.score)]


def _as_of(review):
    """Evidence is fixed at the visit: contacts up to the visit's last day (or today, if earlier)."""
    return max(review.period_end, min(review.visit_end, timezone.localdate()))


def _specialist_table(programs, period, review, columns):
    rows = []
    for user, out in metrics.outcomes_by_specialist(programs, period, as_of=_as_of(review)):
        rows.append([user.get_full_name() or user.username] + [column(out) for _, column in columns])
    return {"columns": ["Specialist"] + [label for label, _ in columns], "rows": rows}


def _fmt(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def breakdown(review, hint):
    """The aggregate records behind a suggestion: counts by specialist, occupation group, employer,
    job type or place. No client names anywhere (trainers see it)."""
    programs = Program.objects.filter(pk=review.program_id)
    period = review_period(review)
    if hint == "caseload":
        return _specialist_table(programs, period, review, [("Clients at period end", lambda o: o.caseload_at_end)])
    if hint == "rapid_job_search":
        return _specialist_table(
            programs,
            period,
            review,
            [
                ("New enrollments", lambda o: o.new_enrollments),
                ("Median days to first contact", lambda o: _fmt(o.first_contact_days_median, 0)),
                ("Within target", lambda o: o.first_contact_within_target),
            ],
        )
    if hint == "employer_contacts":
        return _specialist_table(
            programs,
            period,
            review,
            [
                ("Face-to-face employer contacts", lambda o: o.employer_contacts),
                ("Per week", lambda o: _fmt(o.employer_contacts_per_specialist_week)),
            ],
        )
    starts = JobStart.objects.filter(
        client__in=metrics.active_clients(programs, period), start_date__gte=period.start, start_date__lte=period.end
    )
    if hint == "job_type_diversity":
        labels = dict(OccupationGroup.choices)
        rows = starts.values("occupation_group").annotate(n=Count("pk")).order_by("-n", "occupation_group")
        return {
            "columns": ["Occupation group", "Job starts"],
            "rows": [[labels.get(r["occupation_group"], "Not recorded"), r["n"]] for r in rows],
        }
    if hint == "employer_diversity":
        rows = starts.values("employer__name").annotate(n=Count("pk")).order_by("-n", "employer__name")
        return {"columns": ["Employer", "Job starts"], "rows": [[r["employer__name"], r["n"]] for r in rows]}
    if hint == "competitive_jobs":
        row = starts.aggregate(competitive=Count("pk", filter=Q(is_competitive=True)), total=Count("pk"))
        return {
            "columns": ["Job starts", "Count"],
            "rows": [["Competitive", row["competitive"]], ["Not competitive", row["total"] - row["competitive"]]],
        }
    if hint == "follow_along":
        rows = (
            metrics.job_starts(programs, period)
            .values("occupation_group")
            .annotate(n=Count("pk"))
            .order_by("-n", "occupation_group")
        )
        labels = dict(OccupationGroup.choices)
        return {
            "columns": ["Competitive job starts by occupation group", "Starts"],
            "rows": [[labels.get(r["occupation_group"], "Not recorded"), r["n"]] for r in rows],
        }
    if hint == "community_services":
        rows = (
            Contact.objects.filter(
                client__program__in=programs,
                contact_date__gte=period.start,
                contact_date__lte=period.end,
                minutes__isnull=False,
            )
            .values("place")
            .annotate(minutes=Sum("minutes"), n=Count("pk"))
            .order_by("place")
        )
        return {
            "columns": ["Place", "Contacts", "Minutes"],
            "rows": [[dict(ContactPlace.choices).get(r["place"], r["place"]), r["n"], r["minutes"]] for r in rows],
        }
    return {"columns": [], "rows": []}
