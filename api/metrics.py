"""GET /api/v1/metrics/: any figure of the measure catalogue for the user's programs (or one of
them, one specialist's clients, or a region's programs) and a period, with its label, definition,
benchmark, band and the definitions' version.

Values come from `outcomes.outcomes` and words from `outcomes.measures`, as on the dashboards."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Action
from outcomes import metrics
from outcomes.common import current_benchmarks
from outcomes.measures import MEASURES, Measure
from outcomes.periods import Period, Rate
from programs.access import Capability, programs_for
from programs.models import Program
from programs.selectors import specialist_memberships

from .base import HoldsCapability, audit
from .filters import MAX_ID

FIGURES = [key for key in MEASURES if key in metrics.Outcomes.figure_names()]


class MetricsQuery(serializers.Serializer):
    quarter = serializers.CharField(
        required=False, help_text="A quarter (2026Q3), a month (2026-03) or a range (2026-01-01_2026-03-31)."
    )
    program = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="One program; default: all yours."
    )
    specialist = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The clients of one employment specialist."
    )
    region = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Every program of a region you cover."
    )
    measure = serializers.MultipleChoiceField(choices=FIGURES, required=False, help_text="Default: every figure.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if sum(1 for name in ("program", "specialist", "region") if name in attrs) > 1:
            raise serializers.ValidationError({"program": "Give one scope: a program, a specialist or a region."})
        return attrs

    def validate_quarter(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


def _value(value: Any) -> Any:
    return value.as_dict() if isinstance(value, Rate) else value


def _entry(m: Measure, figures: metrics.Outcomes, bench: Any) -> dict[str, Any]:
    value = getattr(figures, m.key)
    entry: dict[str, Any] = {
        "key": m.key,
        "label": m.label,
        "definition": m.definition,
        "unit": str(m.unit),
        "value": _value(value),
        "benchmark": {name: _value(getattr(bench, name)) for name in m.benchmark} or None,
    }
    if isinstance(value, Rate) and m.key == "employment_rate":
        band = metrics.rate_band(value, bench, figures.denominator)
        entry["band"] = {"code": band.code, "label": band.label}
    return entry


def _scope(user: Any, query: dict[str, Any]) -> tuple[QuerySet[Program], list[int] | None]:
    """The programs (and specialists) a query counts, within what `user` may see: another program's,
    specialist's or region's figures are a 404, never an empty answer that confirms they exist."""
    programs = programs_for(user, Capability.VIEW_AGGREGATES)
    if "program" in query:
        programs = programs.filter(pk=query["program"])
    elif "region" in query:
        programs = programs.filter(agency__region=query["region"])
        # A region's figure only for those who see the whole region (not one program's supervisor).
        if programs.count() != Program.objects.filter(agency__region=query["region"]).count():
            raise Http404("No such region.")
    elif "specialist" in query:
        programs = programs.filter(
            pk__in=specialist_memberships(programs).filter(user=query["specialist"]).values("program")
        )
        if not programs.exists():
            raise Http404("No such specialist.")
        return programs, [query["specialist"]]
    if not programs.exists():
        raise Http404("No such program." if "program" in query else "No such region.")
    return programs, None


class MetricsView(APIView):
    capability = write_capability = Capability.VIEW_AGGREGATES
    permission_classes = (HoldsCapability,)

    @extend_schema(
        parameters=[
            OpenApiParameter("quarter", str, description="Default: the current quarter."),
            OpenApiParameter("program", int),
            OpenApiParameter("specialist", int),
            OpenApiParameter("region", int),
            OpenApiParameter("measure", str, many=True, enum=FIGURES),
        ],
        responses=inline_serializer(
            "Metrics",
            {
                "period": serializers.DictField(),
                "programs": serializers.ListField(child=serializers.IntegerField()),
                "specialist": serializers.IntegerField(allow_null=True),
                "region": serializers.IntegerField(allow_null=True),
                "definition_version": serializers.CharField(),
                "measures": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = MetricsQuery(data={**request.query_params.dict(), "measure": request.query_params.getlist("measure")})
        query.is_valid(raise_exception=True)
        programs, specialists = _scope(request.user, query.validated_data)
        period = query.validated_data.get("quarter") or Period.quarter_containing(timezone.localdate())
        keys = [k for k in FIGURES if k in query.validated_data.get("measure", ())] or FIGURES
        bench = current_benchmarks()
        figures = metrics.outcomes(programs, period, specialists=specialists, benchmarks=bench)
        program_ids = sorted(programs.values_list("pk", flat=True))
        scope = {name: query.validated_data[name] for name in ("specialist", "region") if name in query.validated_data}
        audit(
            request, Action.VIEW, None, api="metrics", period=period.code, programs=program_ids, measures=keys, **scope
        )
        return Response(
            {
                "period": period.as_dict(),
                "programs": program_ids,
                "specialist": scope.get("specialist"),
                "region": scope.get("region"),
                "definition_version": metrics.DEFINITION_VERSION,
                "measures": [_entry(MEASURES[k], figures, bench) for k in keys],
            }
        )
