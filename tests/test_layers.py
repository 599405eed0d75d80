"""The house's floor plan: apps import only the floors below them, and every module stays readable."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lowest first. An app may import itself and anything to its left, never to its right.
LAYERS = [
    "core",
    "benchmarks",
    "audit",
    "programs",
    "accounts",
    "clients",
    "jobs",
    "caseload",
    "outcomes",
    "fidelity",
    "reports",
    "notifications",
    "api",
    "imports",
    "demo",
    "ips_site",
]
MAX_LINES = 500


def _modules(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _first_party_imports(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield node.lineno, top


@pytest.mark.parametrize("app", [a for a in LAYERS if (ROOT / a).is_dir()])
def test_apps_import_only_lower_floors(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {top}"
        for path in _modules(app)
        for line, top in _first_party_imports(path)
        if top not in allowed
    ]
    assert upward == []


def test_the_layer_check_sees_an_upward_import(tmp_path):
    # Control: the parser does find an import of a higher app.
    module = tmp_path / "m.py"
    module.write_text("from reports.models import QuarterlyReport\n")
    assert list(_first_party_imports(module)) == [(1, "reports")]


def test_no_module_is_too_long_to_read_in_one_sitting():
    folders = [a for a in LAYERS if (ROOT / a).is_dir()] + ["tests"]
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for folder in folders
        for path in _modules(folder)
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    ]
    assert long == []
