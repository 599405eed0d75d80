"""Import clients (with enrollments), contacts, job starts or employer contacts from a CSV or XLSX file,
through the same services as the pages, as a user of the program (their access applies).

    manage.py import_records clients caseload.xlsx --program harbor-lights --user super_a           # dry run
    manage.py import_records clients caseload.xlsx --program harbor-lights --user super_a --commit  # import
    manage.py import_records contacts log.csv --program harbor-lights --user super_a --map "Visit=contact_date"
    manage.py import_records --template job_starts > job-starts.csv                                 # the template

Without --commit nothing is saved: every row is listed as it would be created, updated or left as it
is, with its errors. With --commit, any row's error saves nothing (all or nothing). Rows are processed
in this process, whatever the file's size.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from imports.kinds import KINDS
from imports.services import run_import
from programs.models import Program, User


class Command(BaseCommand):
    help = "Import records from a CSV or XLSX file (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=sorted(KINDS))
        parser.add_argument("file", nargs="?")
        parser.add_argument("--program", help="the program's code")
        parser.add_argument("--user", help="username of the supervisor importing (their access applies)")
        parser.add_argument("--commit", action="store_true", help="save (all rows or none)")
        parser.add_argument("--map", action="append", default=[], help='"Header=column" (or "Header=" to ignore)')
        parser.add_argument("--template", choices=sorted(KINDS), help="print the kind's CSV template and stop")

    def handle(self, *args, **o):
        if o["template"]:
            self.stdout.write(KINDS[o["template"]].template_csv(), ending="")
            return
        if not (o["kind"] and o["file"] and o["program"] and o["user"]):
            raise CommandError("Give the kind, the file, --program and --user (or --template KIND).")
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        program = Program.objects.filter(code=o["program"]).first()
        user = User.objects.filter(username=o["user"], is_active=True).first()
        if program is None or user is None:
            raise CommandError("No such program or user.")
        mapping = {}
        for item in o["map"]:
            header, sep, column = item.partition("=")
            if not sep:
                raise CommandError(f'--map takes "Header=column": {item}')
            mapping[header] = column.strip()
        try:
            outcome = run_import(
                o["kind"],
                path.name,
                path.read_bytes(),
                user=user,
                program=program,
                dry_run=not o["commit"],
                mapping=mapping,
            )
        except Http404 as exc:
            raise CommandError(f"{user.username} cannot import into {program.code}.") from exc
        for message in outcome.file_errors:
            self.stderr.write(message)
        for row in outcome.rows:
            if row.errors:
                for column, message in row.errors:
                    self.stdout.write(f"row {row.row}: {column or '-'}: {message}")
            else:
                self.stdout.write(f"row {row.row}: {row.action}")
        counts = ", ".join(f"{n} {action}" for action, n in sorted(outcome.counts.items())) or "no rows"
        if outcome.saved:
            self.stdout.write(self.style.SUCCESS(f"Imported: {counts}."))
        elif outcome.has_errors:
            raise CommandError(f"Nothing saved: fix the errors above ({counts}).")
        else:
            self.stdout.write(f"Dry run, nothing saved: {counts}. Run again with --commit to import.")
