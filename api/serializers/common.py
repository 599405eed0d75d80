"""What the API shows of each record: its own fields and the ids it points to, never another
program's names. `version` is the optimistic-lock token (`core.locking.version_of`)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.locking import version_of


class Versioned(serializers.ModelSerializer):
    version = serializers.SerializerMethodField(
        help_text="Send it back as If-Match (or `version`) to update without overwriting a newer save."
    )

    def get_version(self, obj: Any) -> str:
        return version_of(obj)
