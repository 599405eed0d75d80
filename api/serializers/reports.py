"""Quarterly reports (their figures as generated)."""

from __future__ import annotations

from rest_framework import serializers

from reports.models import QuarterlyReport


class QuarterlyReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "program",
            "region",
            "year",
            "quarter",
            "version",
            "status",
            "definition_version",
            "benchmarks",
            "data",
            "requested_at",
            "finished_at",
        ]
