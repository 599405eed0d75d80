"""The benchmark_metrics command builds its synthetic dataset, prints figures and cleans up.
(No timing is asserted: the command prints timings, tests only check it works.)"""

import io

import pytest
from django.core.management import call_command

from clients.models import Client
from jobs.models import EmployerContact
from programs.models import Program, Region, User


@pytest.mark.django_db
def test_benchmark_command_prints_figures_and_deletes_its_data():
    out = io.StringIO()
    call_command("benchmark_metrics", programs=2, clients_per_program=6, repeat=1, quarter="2026Q1", stdout=out)
    text = out.getvalue()
    assert "Rows: programs 2, clients 12" in text
    for name in ("outcomes ", "outcomes_by_program ", "outcomes_by_specialist "):
        assert name in text
    assert "2 programs" in text and "10 specialists" in text  # 5 specialists a program
    assert not Region.objects.filter(code="BENCHM").exists()
    assert Client.objects.count() == 0
    assert EmployerContact.objects.count() == 0
    assert not User.objects.filter(username__startswith="bench-metrics-").exists()


@pytest.mark.django_db
def test_benchmark_command_keeps_and_reuses():
    call_command("benchmark_metrics", programs=1, clients_per_program=4, repeat=1, keep=True, stdout=io.StringIO())
    assert Program.objects.filter(agency__region__code="BENCHM").count() == 1
    out = io.StringIO()
    call_command("benchmark_metrics", programs=1, clients_per_program=4, repeat=1, stdout=out)
    assert "Reusing the kept dataset" in out.getvalue()
    assert not Region.objects.filter(code="BENCHM").exists()
