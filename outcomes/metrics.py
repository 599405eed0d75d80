"""Every IPS outcome number, defined once (section 3 of the domain reference).

Dashboards, quarterly reports, fidelity suggestions and the API call this module; nothing else
computes a rate. Arguments everywhere:

- `programs`: a Program queryset, already scoped to the user by the caller;
- `period`: a `Period` (quarter, month or custom inclusive range of days);
- `specialists`: optional iterable of user ids. A client belongs to the specialist of the
  enrollment episode active in the period (the latest one, by enrollment date, if several);
  every client-based figure for "specialists S" counts the clients attributed to S.
  Employer contacts belong to the specialist who made them.

Shared definitions (each function's docstring repeats the part it uses):

- An *episode active in the period* has an enrollment date on or before the period's last day
  and no closure date before its first day (closed on the first day is still active). Episodes
  without an enrollment date are never counted; `data_quality` lists them.
- The *active caseload* is the clients with at least one active episode (each client once).
- Only competitive jobs (`JobStart.is_competitive`) count in any employment outcome; a job is
  *held* in the period when it started on or before the last day and did not end before the first.
- Job-based figures (starts, jobs held, tenure, hours, wages) count the jobs of active clients.

All functions aggregate in the database with a number of queries that does not depend on the
number of clients, specialists or programs. Medians are taken in Python from one values_list.

This module is the one entry point: it re-exports the public names of the package's modules
(`common`: constants and `period_as_of`; `querysets`: the records behind each number;
`summaries`: `Outcomes` and its aggregates; `series`: job starts per month; `cohort`; `bands`; `quality`;
`fidelity_evidence`).
"""

from .bands import BAND_LABELS, Band, benchmark_snapshot, cohort_band, rate_band, too_few
from .cohort import CohortRate, cohort_enrollments, cohort_rate
from .common import DEFINITION_VERSION, HOURS_THRESHOLD, period_as_of
from .fidelity_evidence import (
    all_job_starts,
    client_contacts,
    community_share,
    competitive_share,
    employer_diversity,
    follow_along_within,
    job_starts_with_follow_up,
    job_type_diversity,
)
from .periods import Period, Rate, add_months
from .quality import DataQuality, data_quality
from .querysets import (
    active_clients,
    active_enrollments,
    clients_in_education,
    closures,
    employer_contacts,
    first_contact_enrollments,
    first_job_starts,
    job_starts,
    jobs_held,
    new_enrollments,
    working_clients,
)
from .series import job_starts_by_period
from .summaries import (
    Outcomes,
    contacts_per_week_by_specialist,
    employment_rate_trend,
    outcomes,
    outcomes_by_program,
    outcomes_by_specialist,
)

__all__ = [
    "BAND_LABELS",
    "DEFINITION_VERSION",
    "HOURS_THRESHOLD",
    "Band",
    "CohortRate",
    "DataQuality",
    "Outcomes",
    "Period",
    "Rate",
    "active_clients",
    "active_enrollments",
    "add_months",
    "all_job_starts",
    "benchmark_snapshot",
    "client_contacts",
    "clients_in_education",
    "closures",
    "cohort_enrollments",
    "cohort_rate",
    "community_share",
    "contacts_per_week_by_specialist",
    "competitive_share",
    "data_quality",
    "employer_contacts",
    "employer_diversity",
    "employment_rate_trend",
    "first_contact_enrollments",
    "first_job_starts",
    "follow_along_within",
    "job_starts",
    "job_starts_by_period",
    "job_starts_with_follow_up",
    "job_type_diversity",
    "jobs_held",
    "new_enrollments",
    "outcomes",
    "outcomes_by_program",
    "outcomes_by_specialist",
    "period_as_of",
    "rate_band",
    "cohort_band",
    "too_few",
    "working_clients",
]
