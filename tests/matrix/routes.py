"""The persona x route matrix's routes and URLs, generated from the URL resolver (plain helpers)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PK = 4242
OWN = 4343  # program B's own records (mixed own-parent/foreign-child URLs)
APPS = ("programs", "clients", "jobs", "fidelity", "reports", "notifications", "api", "imports")
# Routes outside the apps' namespaces that show client data: the access history, disclosures, search.
TOP_LEVEL = ("client_trail", "disclosures", "search")
MARKER = "Zyxmatrixname"  # program A's client's name: must never appear to outsiders
PROGRAM_MARKER = "Zyxmatrixprogram"  # program A's name: nor its aggregates
RECORD_ARG = re.compile(r"<(?:int:\w+|slug:code)>")  # arguments that address a record


def feature_routes():
    """(name, route pattern) of every route in the feature apps."""
    out = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                out.append((f"{entry.namespace}:{pattern.name}", str(entry.pattern) + str(pattern.pattern)))
        elif isinstance(entry, URLPattern) and entry.name in TOP_LEVEL:
            out.append((f"site:{entry.name}", str(entry.pattern)))
    return out


def build_url(route, program, name=""):
    fmt = "xlsx" if name == "reports:dashboard_export" else "csv"  # the whole dashboard exports as XLSX
    values = {"int": str(PK), "code": program.code, "hint": "caseload", "dataset": "all", "fmt": fmt}
    values.update({"quarter": "2026Q1", "variant": "ips"})  # the quarterly submission downloads

    def fill(match):
        converter, name = match.group(1), match.group(2)
        return values.get(name) or values.get(converter) or str(PK)

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    # Query parameters that some pages read to pick a program, client or employer. The dashboards
    # take the program's code (a pk there is a 404, even to the program's own supervisor).
    chosen = program.code if name.startswith("reports:") else program.pk
    measure = "&measure=active_caseload" if name == "reports:drilldown" else ""
    return f"{path}?program={chosen}&client={PK}&employer={PK}&quarter=2026Q1{measure}"


INT_ARG = re.compile(r"<int:\w+>")


def mixed_url(route):
    """The route with its first record argument on program B's record and the others on A's."""
    first = [True]

    def fill(match):
        value = str(OWN) if first[0] else str(PK)
        first[0] = False
        return value

    return "/" + INT_ARG.sub(fill, route)


def snapshot_of(program):
    """Every row of every model reached through a `program_path` that belongs to `program`."""
    from django.apps import apps

    rows = {}
    for model in apps.get_models():
        path = getattr(model, "program_path", None)
        if path is None or model._meta.app_label == "audit":
            continue
        lookup = "pk" if path == "pk" else path
        rows[model._meta.label] = sorted(map(repr, model._base_manager.filter(**{lookup: program.pk}).values()))
    return rows
