"""What a quarterly report snapshot contains: every figure comes from `outcomes.metrics`.

This module only *copies* what the metrics module returns into a JSON-safe dict and compares
those figures with the benchmark settings; it never computes a rate itself.

Privacy: a snapshot holds aggregates, staff (specialist) names and record ids/numbers only --
never a client's name -- so the same snapshot can be shown to supervisors and to state trainers.
"""

import datetime

from benchmarks.models import BenchmarkSettings, Denominator
from outcomes import metrics, quarter
from outcomes.measures import measure
from programs.models import Program
from reports.dashboard.format import fmt_median_days, fmt_number

TREND_QUARTERS = 4


def report_period(report, benchmarks):
    """The quarter a report covers, with the quarter start month of the benchmark settings."""
    return metrics.Period.quarter(report.year, report.quarter, benchmarks.quarter_start_month)


def report_programs(report):
    """The programs a report aggregates: its program, or the region's active programs."""
    if report.program_id:
        return Program.objects.filter(pk=report.program_id)
    return Program.objects.filter(agency__region_id=report.region_id, is_active=True)


def as_of_for(period, today=None):
    """The day the report's figures are read as of: `metrics.period_as_of`, as on the dashboard."""
    return metrics.period_as_of(period, today)


def cohort_period_for(period, months):
    """The enrollment cohort whose `months` of follow-up end in `period`: the quarter containing
    the day `months` months before the period's last day (18 months: six quarters earlier)."""
    return metrics.Period.quarter_containing(metrics.add_months(period.end, -months), period.start_month)


def build_snapshot(report, today=None):
    """(data, benchmarks, definition_version) for `report` (a QuarterlyReport): a program report as
    `build_program_snapshots` makes it (a set of one), a region roll-up over the region's active programs."""
    if report.program_id:
        return build_program_snapshots([report], today)[report.pk]
    bench = BenchmarkSettings.current()
    period = report_period(report, bench)
    programs = report_programs(report)
    as_of = as_of_for(period, today)
    totals = metrics.outcomes(programs, period, as_of=as_of, benchmarks=bench)
    months = bench.cumulative_months
    cohort_period = cohort_period_for(period, months)
    cohort = metrics.cohort_rate(programs, cohort_period, months=months, as_of=as_of, benchmarks=bench)
    trend = metrics.employment_rate_trend(programs, period, TREND_QUARTERS, benchmarks=bench)
    data = {
        "scope": _region_scope(report, programs),
        **_heading(period, as_of, bench),
        "totals": totals.as_dict(),
        "band": _band(totals.employment_rate, bench),
        "trend": _trend(trend, bench),
        "cohort": _cohort(cohort_period, cohort, bench),
        "data_quality": _data_quality(programs, period)[None],
        "by_program": _by_program(programs, period, as_of, bench),
        "program_reports": list(
            report.program_reports.order_by("program__name").values("id", "program_id", "version", "status")
        ),
    }
    data["comparison"] = comparison_rows(data, bench)
    return data, metrics.benchmark_snapshot(bench), metrics.DEFINITION_VERSION


def build_program_snapshots(reports, today=None):
    """{report id: (data, benchmarks, definition_version)} for program reports (QuarterlyReports with
    a program), each measure computed once over all the programs of a quarter and split by program
    (`outcomes.quarter`): a program's snapshot is the same whether it is built alone or with others."""
    bench = BenchmarkSettings.current()
    benchmarks = metrics.benchmark_snapshot(bench)
    by_quarter = {}
    for report in reports:
        by_quarter.setdefault((report.year, report.quarter), []).append(report)
    built = {}
    for (year, q), group in by_quarter.items():
        period = metrics.Period.quarter(year, q, bench.quarter_start_month)
        data = _programs_data(sorted({r.program_id for r in group}), period, bench, today)
        for report in group:
            built[report.pk] = (data[report.program_id], benchmarks, metrics.DEFINITION_VERSION)
    return built


def _programs_data(ids, period, bench, today):
    """{program id: snapshot data} of the programs `ids` for `period`: a constant number of queries."""
    programs = Program.objects.filter(pk__in=ids)
    as_of = as_of_for(period, today)
    months = bench.cumulative_months
    cohort_period = cohort_period_for(period, months)
    totals = metrics.outcomes_by_program(programs, period, as_of=as_of, benchmarks=bench)
    trends = quarter.employment_rate_trend_by_program(ids, period, TREND_QUARTERS, benchmarks=bench)
    cohorts = quarter.cohort_rate_by_program(ids, cohort_period, months=months, as_of=as_of, benchmarks=bench)
    specialists = quarter.outcomes_by_program_and_specialist(ids, period, as_of=as_of, benchmarks=bench)
    quality = _data_quality(ids, period, by_program=True)
    result = {}
    for program in programs.select_related("agency__region"):
        pk = program.pk
        data = {
            "scope": _program_scope(program),
            **_heading(period, as_of, bench),
            "totals": totals[pk].as_dict(),
            "band": _band(totals[pk].employment_rate, bench),
            "trend": _trend(trends[pk], bench),
            "cohort": _cohort(cohort_period, cohorts[pk], bench),
            "data_quality": quality.get(pk) or _quality_section([], [], []),
            "by_specialist": [
                {
                    "id": user.pk,
                    "name": str(user),
                    "outcomes": figures.as_dict(),
                    "band": _band(figures.employment_rate, bench),
                }
                for user, figures in specialists[pk]
            ],
        }
        data["comparison"] = comparison_rows(data, bench)
        result[pk] = data
    return result


def _heading(period, as_of, bench):
    denominator = bench.employment_rate_denominator
    return {
        "period": {**period.as_dict(), "start_month": bench.quarter_start_month},
        "as_of": as_of.isoformat(),
        "denominator": {"code": denominator, "label": Denominator(denominator).label},
    }


def _program_scope(program):
    return {
        "kind": "program",
        "id": program.pk,
        "name": program.name,
        "code": program.code,
        "agency": program.agency.name,
        "region": program.agency.region.name,
    }


def _region_scope(report, programs):
    rows = list(programs.order_by("name").values("id", "name", "code"))
    return {
        "kind": "region",
        "id": report.region_id,
        "name": str(report.region),
        "code": report.region.code,
        "programs": rows,
    }


def _band(rate, bench):
    band = metrics.rate_band(rate, bench)
    return {"code": band.code, "label": band.label}


def _trend(trend, bench):
    return [
        {"code": each.code, "label": each.label, "rate": rate.as_dict(), "band": _band(rate, bench)}
        for each, rate in trend
    ]


def _cohort(cohort_period, cohort, bench):
    return {
        "period": cohort_period.as_dict(),
        "months": cohort.months,
        "rate": cohort.rate.as_dict(),
        "follow_up_complete": cohort.follow_up_complete,
        "benchmark": _benchmark("cumulative_rate", bench)[0],
    }


def _by_program(programs, period, as_of, bench):
    by_program = metrics.outcomes_by_program(programs, period, as_of=as_of, benchmarks=bench)
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "code": row["code"],
            "outcomes": by_program[row["id"]].as_dict(),
            "band": _band(by_program[row["id"]].employment_rate, bench),
        }
        for row in programs.order_by("name").values("id", "name", "code")
    ]


def _data_quality(programs, period, *, by_program=False):
    """{program id (None: all together): the data-quality lists of `metrics.data_quality`}, each record
    with its id and the client's record number (a number, never a name), so no record silently drops
    out of a rate. Three queries."""
    quality = metrics.data_quality(programs, period)
    program = ("client__program",) if by_program else ()
    rows = {}

    def collect(position, qs, *columns):
        for row in qs.order_by("pk").values_list(*program, "pk", "client__record_number", *columns):
            key = row[0] if by_program else None
            rows.setdefault(key, ([], [], []))[position].append(row[len(program) :])

    collect(0, quality.enrollments_missing_dates, "referral_date")
    collect(1, quality.jobs_missing_fields, "start_date", "hours_per_week", "occupation_group")
    collect(2, quality.contacts_missing_mode, "contact_date")
    if not by_program:
        rows.setdefault(None, ([], [], []))
    return {key: _quality_section(*lists) for key, lists in rows.items()}


def _quality_section(enrollments, jobs, contacts):
    def counted(records):
        return {"count": len(records), "ids": [record[0] for record in records]}

    return {
        "enrollments_missing_dates": {
            **counted(enrollments),
            "records": [
                {"id": pk, "client": number, "date": _iso(day), "missing": "enrollment date"}
                for pk, number, day in enrollments
            ],
        },
        "jobs_missing_fields": {
            **counted(jobs),
            "records": [
                {
                    "id": pk,
                    "client": number,
                    "date": _iso(day),
                    "missing": ", ".join(
                        name
                        for name, absent in (("hours per week", hours is None), ("occupation group", not group))
                        if absent
                    ),
                }
                for pk, number, day, hours, group in jobs
            ],
        },
        "contacts_missing_mode": {
            **counted(contacts),
            "records": [
                {"id": pk, "client": number, "date": _iso(day), "missing": "mode"} for pk, number, day in contacts
            ],
        },
    }


def _iso(day):
    return day.isoformat() if isinstance(day, datetime.date) else None


# ----------------------------------------------------------------------------------------------
# Benchmark comparison (comparisons of the metrics' figures with BenchmarkSettings, no rates)
# ----------------------------------------------------------------------------------------------
MEETS, BELOW, NO_DATA, INFO = "meets", "below", "no_data", "info"
STATUS_LABELS = {MEETS: "Meets", BELOW: "Below", NO_DATA: "No data", INFO: "For information"}


def _status(value, ok):
    if value is None:
        return NO_DATA
    return MEETS if ok(value) else BELOW


def _fmt(value, suffix="", digits=1):
    return "–" if value is None else f"{fmt_number(value, digits)}{suffix}"


def _benchmark(key, bench):
    """The settings catalogue measure `key` is judged against (its `benchmark` fields), lowest first."""
    return [float(getattr(bench, name)) for name in measure(key).benchmark]


def comparison_rows(data, bench):
    """One row per benchmark: measure (worded by the catalogue), value, benchmark, status -- each
    benchmark value from the settings the catalogue names."""
    totals, cohort = data["totals"], data["cohort"]
    rate = totals["employment_rate"]
    minimal, average, excellent = _benchmark("employment_rate", bench)
    (contacts_target,) = _benchmark("employer_contacts_per_specialist_week", bench)
    (caseload_max,) = _benchmark("caseload_per_specialist", bench)
    (target_days,) = _benchmark("first_contact_within_target", bench)
    contacts = totals["employer_contacts_per_specialist_week"]
    caseload = totals["caseload_per_specialist"]
    within = totals["first_contact_within_target"]
    median_over = totals.get("first_contact_days_median_over")  # absent from snapshots before 2026.2
    cohort_rate = cohort["rate"]
    rows = [
        {
            "key": "quarterly_rate",
            "measure": measure("employment_rate").label,
            "value": rate["percent"],
            "display": _rate_display(rate),
            "benchmark": f"{minimal:g}% minimal · {average:g}% average · {excellent:g}% excellent",
            "status": data["band"]["code"],
            "status_label": data["band"]["label"],
            "note": f"Working / active caseload in {data['period']['label']} ({data['denominator']['label']}).",
        },
        {
            "key": "cohort_rate",
            "measure": f"{measure('cumulative_rate').label}: competitive job within {cohort['months']} months "
            "of enrolling",
            "value": cohort_rate["percent"],
            "display": _rate_display(cohort_rate),
            "benchmark": f"≈{cohort['benchmark']:g}% (randomized trials)",
            # Fewer than small_numbers_min clients: "Not reliable", never compared with the benchmark.
            **_flagged_status(cohort_rate, _status(cohort_rate["percent"], lambda v: v >= cohort["benchmark"]), bench),
            "note": (
                f"A different measure from the quarterly rate: clients enrolled in {cohort['period']['label']}, "
                f"whose {cohort['months']}-month follow-up ends in {data['period']['label']}"
                + ("." if cohort["follow_up_complete"] else " (follow-up not yet complete: provisional).")
            ),
        },
        {
            "key": "employer_contacts",
            "measure": measure("employer_contacts_per_specialist_week").label,
            "value": contacts,
            "display": _fmt(contacts),
            "benchmark": f"≥ {contacts_target:g}",
            "status": _status(contacts, lambda v: v >= contacts_target),
            "note": f"{totals['employer_contacts']} contacts, {totals['specialist_count']} specialists"
            + (
                f" ({fmt_number(totals['specialist_weeks'])} full-time-equivalent weeks)."
                if "specialist_weeks" in totals  # stored since definition version 2026.3
                else "."
            ),
        },
        {
            "key": "caseload",
            "measure": measure("caseload_per_specialist").label,
            "value": caseload,
            "display": _fmt(caseload),
            "benchmark": f"≤ {caseload_max:g}",
            "status": _status(caseload, lambda v: v <= caseload_max),
            "note": _caseload_note(data, bench),
        },
        {
            # The row displays the median days and takes its status from them (the benchmark is on
            # the median); the share within the target is its note.
            "key": "first_contact",
            "measure": measure("first_contact_days_median").label,
            "value": totals["first_contact_days_median"],
            "display": fmt_median_days(totals["first_contact_days_median"], median_over),
            "benchmark": f"median ≤ {target_days:g} days to the first face-to-face contact",
            "status": BELOW
            if median_over is not None
            else _status(totals["first_contact_days_median"], lambda v: v <= target_days),
            "note": (
                f"{measure('first_contact_within_target').label} ({target_days:g} days): {_rate_display(within)}"
                + (f" ({flagged['status_label']})" if (flagged := _flagged_status(within, None, bench)) else "")
                + ". IPS-25 item 15 scores the days from entry to the first contact."
            ),
        },
    ]
    if data["denominator"]["code"] == Denominator.OUT_OF_WORK:
        rows.append(
            {
                "key": "ips_grow",
                "measure": "Employment rate, clients out of work at enrollment (IPS Grow)",
                "value": rate["percent"],
                "display": _rate_display(rate),
                "benchmark": f"{float(bench.ips_grow_rate):g}%",
                "status": _status(rate["percent"], lambda v: v >= float(bench.ips_grow_rate)),
                "note": "The rate above counts only clients out of work at enrollment.",
            }
        )
    for row in rows:
        if "status_label" not in row:
            row["status_label"] = STATUS_LABELS[row["status"]]
    return rows


def _flagged_status(rate, status, bench):
    """{"status", "status_label"} "Not reliable" for a rate over fewer than small_numbers_min clients
    (metrics.too_few), else {"status": status} (none when status is None)."""
    band = metrics.too_few(metrics.Rate(rate["numerator"], rate["denominator"]), bench)
    if band:
        return {"status": band.code, "status_label": band.label}
    return {} if status is None else {"status": status}


def _rate_display(rate):
    if rate["percent"] is None:
        return "–"
    return f"{rate['percent']:g}% ({rate['numerator']}/{rate['denominator']})"


def _caseload_note(data, bench):
    specialists = data.get("by_specialist")
    if specialists is None:
        totals = data["totals"]
        if "specialist_fte" in totals:  # since 2026.3: per full-time specialist in force that day
            return f"Clients open on the last day of the quarter / {fmt_number(totals['specialist_fte'])} FTE in force."
        return f"Clients open on the last day of the quarter / {totals['specialist_count']} specialists."
    over = sum(1 for row in specialists if (row["outcomes"]["caseload_per_specialist"] or 0) > bench.caseload_max)
    return f"{over} of {len(specialists)} specialists above {bench.caseload_max} clients on the last day."
