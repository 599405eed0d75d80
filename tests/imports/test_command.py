"""manage.py import_records: dry run by default, --commit all or nothing, --map, --template, and the
shipped sample file (docs/import-sample.csv) imports as the README says."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clients.models import Client, Contact
from imports.kinds import KINDS

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "import-sample.csv"


def test_dry_run_then_commit(tmp_path, supervisor_a, program_a, known_client, csv_file, capsys):
    path = tmp_path / "log.csv"
    path.write_bytes(csv_file([["record_number", "Visit"], ["K-1", "2026-10-05"]]))
    args = [
        "contacts",
        str(path),
        "--program",
        program_a.code,
        "--user",
        supervisor_a.username,
        "--map",
        "Visit=contact_date",
    ]
    call_command("import_records", *args)
    assert "row 2: create" in capsys.readouterr().out and not Contact.objects.exists()
    call_command("import_records", *args, "--commit")
    assert "Imported: 1 create." in capsys.readouterr().out and Contact.objects.count() == 1


def test_errors_fail_the_command_and_save_nothing(tmp_path, supervisor_a, program_a, known_client, csv_file, capsys):
    path = tmp_path / "log.csv"
    path.write_bytes(csv_file([["record_number", "contact_date"], ["K-1", "2026-10-05"], ["NOPE", "2026-10-05"]]))
    with pytest.raises(CommandError, match="Nothing saved"):
        call_command(
            "import_records",
            "contacts",
            str(path),
            "--program",
            program_a.code,
            "--user",
            supervisor_a.username,
            "--commit",
        )
    assert "row 3: record_number:" in capsys.readouterr().out and not Contact.objects.exists()


def test_a_specialist_cannot_import(tmp_path, specialist_a, program_a, csv_file):
    path = tmp_path / "c.csv"
    path.write_bytes(csv_file([["record_number"], ["X"]]))
    with pytest.raises(CommandError, match="cannot import"):
        call_command(
            "import_records", "contacts", str(path), "--program", program_a.code, "--user", specialist_a.username
        )


def test_template(capsys):
    call_command("import_records", "--template", "clients")
    assert capsys.readouterr().out == KINDS["clients"].template_csv()


def test_the_sample_file_imports(supervisor_a, program_a, specialist_a, capsys):
    specialist_a.username = "specialist"  # the sample names the demo specialist
    specialist_a.save()
    args = ["clients", str(SAMPLE), "--program", program_a.code, "--user", supervisor_a.username, "--commit"]
    call_command("import_records", *args)
    created = Client.objects.filter(program=program_a).count()
    assert created == len(SAMPLE.read_text().splitlines()) - 1
    call_command("import_records", *args)
    assert Client.objects.filter(program=program_a).count() == created  # the same file twice: nothing new
