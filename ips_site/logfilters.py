"""Database error details never reach the logs.

PostgreSQL explains a failed constraint with the row or key it refused — `DETAIL:  Failing row contains
(42, 'Yolanda', ...)`, `DETAIL:  Key (email)=(ann@example.org) already exists.` — and psycopg puts that in
the IntegrityError's message, which Django's 500 log line (django.request), Celery's task-failure line
and a DEBUG query log (django.db.backends) would print with a client's data. `RedactDatabaseDetails`
rewrites a record's message and its formatted traceback before any handler formats them: DETAIL lines
and the row/key values are replaced by "[redacted]"; the constraint's name (the first line) stays, so
the log still says which rule failed. Query parameters of django.db.backends records are dropped too.

Attached to the console handler (every logger) and to the named loggers (settings.LOGGING), so a
handler added later (pytest's caplog, an error tracker's) sees the redacted record as well.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# A DETAIL line of a PostgreSQL error, up to the end of its line (or of its `\n` inside a repr()).
_DETAIL = re.compile(r"DETAIL:[^\n]*?(?=\\n|\n|$)")
# The values themselves, wherever they appear (a message on one line, a repr, a chained exception).
_VALUES = re.compile(r"(Failing row contains|Key) \(.*?\)(=\(.*?\))?(?=[ .]|\\n|\n|'|\"|$)")


def redact(text: str) -> str:
    """`text` without PostgreSQL's DETAIL lines and refused row or key values."""
    if "DETAIL:" not in text and "Failing row contains" not in text and "Key (" not in text:
        return text
    return _VALUES.sub(REDACTED, _DETAIL.sub(f"DETAIL: {REDACTED}", text))


class RedactDatabaseDetails(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.db.backends") and getattr(record, "params", None) is not None:
            # "(0.001) SELECT ...; args=(...)": the parameters are client data.
            record.params = REDACTED
            if isinstance(record.args, tuple) and len(record.args) >= 3:
                record.args = (*record.args[:2], REDACTED, *record.args[3:])
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters print exc_text when it is set instead of formatting exc_info themselves.
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text)
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
