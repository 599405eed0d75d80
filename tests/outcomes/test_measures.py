"""The measure catalogue (outcomes.measures) and the figures agree: every figure has an entry, every entry
is a figure or the list of records behind one, and each benchmark names a real setting."""

import dataclasses

import pytest

from benchmarks.models import BenchmarkSettings
from clients.models import Client, Contact, Enrollment
from jobs.models import EmployerContact, JobStart
from outcomes import metrics as m
from outcomes.measures import BREAKDOWN_TABLE, CATALOGUE, MEASURES, QUARTERLY_REPORT, Records, Unit
from reports.dashboard.drilldown import SOURCES, drilldown_for
from reports.dashboard.filters import Filters

from .outcomes_data import AS_OF, Q1

# Figures the catalogue names that are not fields of Outcomes, and the dataclass field holding each.
OTHER_FIGURES = {
    "cumulative_rate": (m.CohortRate, "rate"),
    "missing_enrollment_date": (m.DataQuality, "enrollments_missing_dates"),
    "jobs_missing_fields": (m.DataQuality, "jobs_missing_fields"),
    "contacts_missing_mode": (m.DataQuality, "contacts_missing_mode"),
}
RECORD_MODELS = {
    Records.CLIENTS: Client,
    Records.JOBS: JobStart,
    Records.ENROLLMENTS: Enrollment,
    Records.CONTACTS: EmployerContact,
    Records.CLIENT_CONTACTS: Contact,
}


def unlabelled(figures_class):
    return [name for name in figures_class.figure_names() if name not in MEASURES]


def test_every_figure_of_outcomes_has_a_catalogue_entry():
    assert unlabelled(m.Outcomes) == []
    # Control: a figure added to Outcomes without a catalogue entry is caught.
    extended = dataclasses.make_dataclass("Extended", [("new_figure", int, 0)], bases=(m.Outcomes,))
    assert unlabelled(extended) == ["new_figure"]
    # `denominator` says which clients the rate is counted over: a setting, not a figure.
    assert "denominator" not in m.Outcomes.figure_names()
    assert "denominator" in m.Outcomes().as_dict()


def test_every_catalogue_entry_is_a_figure_or_the_records_behind_one():
    assert len(MEASURES) == len(CATALOGUE), "a key used twice"
    figures = set(m.Outcomes.figure_names())
    lists = []
    for key, measure in MEASURES.items():
        if key in OTHER_FIGURES:
            owner, name = OTHER_FIGURES[key]
            assert name in {f.name for f in dataclasses.fields(owner)}, key
        elif key not in figures:
            # Neither a figure of Outcomes nor another one: a list of records (a chart's, a rate's side).
            assert measure.drilldown is not None, f"{key} is no figure and lists no records"
            lists.append(key)
    assert sorted(lists) == ["first_contact", "hours", "rate_denominator", "rate_numerator", "tenure"]
    # Every entry that lists records has a drill-down source, and nothing else has one.
    assert {key for key, measure in MEASURES.items() if measure.drilldown} == set(SOURCES)


def test_drilldowns_list_the_records_each_figure_counts(world):
    """Each drill-down is a real queryset of its kind's model; for a count its size is the figure and
    for a rate it lists the records the rate is counted over (its denominator)."""
    program = world["program"]
    filters = Filters(
        available=[program],
        program=program,
        period=Q1,
        specialist=None,
        specialist_choices=[],
        denominator="all_active",
        quarters=[Q1],
        today=AS_OF,
        benchmarks=BenchmarkSettings.current(),
    )
    outcomes = m.outcomes(world["programs"], Q1, as_of=AS_OF)
    expected = {key: getattr(outcomes, key) for key in m.Outcomes.figure_names()}
    expected["rate_numerator"] = outcomes.employment_rate.numerator
    expected["rate_denominator"] = outcomes.employment_rate
    checked = []
    for key, measure in MEASURES.items():
        if measure.drilldown is None:
            continue
        records, _ = drilldown_for(key).records(filters, Q1)
        assert records.model is RECORD_MODELS[measure.drilldown], key
        figure = expected.get(key)
        if isinstance(figure, m.Rate):
            assert records.count() == figure.denominator, key
            checked.append(key)
        elif measure.unit == Unit.COUNT and figure is not None:
            assert records.count() == figure, key
            checked.append(key)
    # The hand-computed figures (test_outcomes.py) make these comparisons meaningful: 7 active, 3 working...
    assert (expected["active_caseload"], expected["working"], expected["caseload_at_end"]) == (7, 3, 6)
    assert sorted(checked) == [
        "active_caseload",
        "caseload_at_end",
        "closures",
        "employer_contacts",
        "first_contact_within_target",
        "first_job_starts",
        "hours_20_plus",
        "in_education",
        "job_starts",
        "jobs_held",
        "new_enrollments",
        "rate_denominator",
        "rate_numerator",
        "working",
    ]


@pytest.mark.parametrize("measure", [x for x in CATALOGUE if x.benchmark], ids=lambda x: x.key)
def test_benchmarks_name_settings_fields_lowest_first(measure):
    settings = {f.name: f for f in BenchmarkSettings._meta.get_fields()}
    assert set(measure.benchmark) <= set(settings)
    defaults = [settings[name].default for name in measure.benchmark]
    assert defaults == sorted(defaults)


def test_units_match_the_figures():
    blank = m.Outcomes()
    for key in m.Outcomes.figure_names():
        value, unit = getattr(blank, key), MEASURES[key].unit
        if isinstance(value, m.Rate):
            assert unit == Unit.PERCENT, key
        elif isinstance(value, int):
            assert unit == Unit.COUNT, key
        else:  # medians and per-specialist figures: None until there is something to divide
            assert unit not in (Unit.COUNT, Unit.PERCENT), key


def test_report_tables_show_figures_of_outcomes():
    figures = set(m.Outcomes.figure_names())
    assert [x.key for x in QUARTERLY_REPORT + BREAKDOWN_TABLE if x.key not in figures] == []
    labels = [x.label for x in CATALOGUE]
    assert len(labels) == len(set(labels)), "two measures with one label"
