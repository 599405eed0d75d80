"""make backup / make restore / the restore drill: a dated pg_dump (custom format) restored into a fresh
database with its row counts checked and a smoke test run. Needs PostgreSQL on 127.0.0.1 (CI has it)."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("BACKUP_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")


def run(*args, env=None, check=True):
    return subprocess.run(
        [str(a) for a in args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def postgres_error():
    if not shutil.which("pg_dump") or not shutil.which("psql"):
        return "pg_dump/psql not installed"
    result = run("psql", f"{SERVER}/postgres", "-Atc", "SELECT 1", check=False)
    return None if result.returncode == 0 else result.stderr.strip()[:200]


def test_restore_refuses_to_replace_the_live_database_without_confirmation(tmp_path):
    dump = tmp_path / "ips-x.dump"
    dump.write_bytes(b"")
    result = run("scripts/restore", dump, env={"DATABASE_URL": "postgres://nowhere/x", "CONFIRM": ""}, check=False)
    assert result.returncode == 2 and "CONFIRM=yes" in result.stderr
    missing = run("scripts/restore", tmp_path / "none.dump", check=False)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_backup_and_the_restore_drill_on_a_small_seeded_database(tmp_path):
    if reason := postgres_error():
        pytest.skip(f"PostgreSQL unavailable: {reason}")
    name = f"ips_backup_test_{uuid.uuid4().hex[:8]}"
    url = f"{SERVER}/{name}"
    env = {"DATABASE_URL": url, "BACKUP_DIR": str(tmp_path), "DEBUG": "1", "PY": str(ROOT / ".venv/bin/python")}
    run("psql", f"{SERVER}/postgres", "-qc", f"CREATE DATABASE {name}")
    try:
        run(ROOT / ".venv/bin/python", "manage.py", "migrate", "-v0", env=env)
        run(
            ROOT / ".venv/bin/python",
            "manage.py",
            "shell",
            "-c",
            "from benchmarks.models import BenchmarkSettings; BenchmarkSettings.current()",
            env=env,
        )
        dump = Path(run("scripts/backup", env=env).stdout.strip())
        assert dump.parent == tmp_path and dump.name.startswith("ips-") and dump.suffix == ".dump"
        assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
        drill = run("scripts/restore-drill", env=env, check=False)
        assert drill.returncode == 0, drill.stderr
        assert "row counts checked" in drill.stdout and "smoke test ok" in drill.stdout
        # A restore of the backup over the database itself (the make restore path).
        restored = run("scripts/restore", dump, env={**env, "CONFIRM": "yes"}, check=False)
        assert restored.returncode == 0, restored.stderr
    finally:
        run("psql", f"{SERVER}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)
