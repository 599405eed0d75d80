"""The audit trail's hash chain: each entry's hash covers its content and the previous entry's hash,
so removing or altering an entry breaks the chain at that point (`manage.py verify_audit`)."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

GENESIS = "0" * 64

# What the hash covers. Not `user_id`: deleting a user sets it to NULL (the username is kept and hashed).
HASHED_FIELDS = (
    "at",
    "username",
    "action",
    "object_type",
    "object_id",
    "program_id",
    "path",
    "ip_address",
    "detail",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def entry_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """SHA-256 of the previous hash and the entry's content, in a canonical JSON form."""
    content = {name: _canonical(values.get(name)) for name in HASHED_FIELDS}
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()
