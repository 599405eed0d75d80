"""Database error details never reach the logs (ips_site/logfilters.py): a failed constraint's row or key
values, which PostgreSQL puts in the IntegrityError's DETAIL line, are redacted from every log line."""

import logging

import pytest
from django.db import IntegrityError, connection, transaction

from clients.models import Client, Enrollment
from ips_site.logfilters import RedactDatabaseDetails, redact

from .. import factories as f

pytestmark = pytest.mark.django_db

SECRET = "Discussed Yolanda"
PG_MESSAGE = (
    'new row for relation "clients_enrollment" violates check constraint "enrollment_closure_has_reason"\n'
    "DETAIL:  Failing row contains (7, 2026-01-10, null, f, 2026-11-30, , Discussed Yolanda, 3).\n"
)


def test_redact_drops_detail_lines_and_values_but_keeps_the_constraint():
    cleaned = redact(PG_MESSAGE)
    assert SECRET not in cleaned
    assert "enrollment_closure_has_reason" in cleaned
    assert "DETAIL: [redacted]" in cleaned
    key = 'duplicate key value violates unique constraint "x"\nDETAIL:  Key (program_id, record_number)=(3, R-77).'
    assert "R-77" not in redact(key)
    assert "R-77" not in redact(repr(IntegrityError(key)))  # "\n" inside a repr
    assert redact("Plain line, Key results") == "Plain line, Key results"


def test_a_message_and_a_traceback_are_redacted_on_the_named_loggers(caplog):
    try:
        raise IntegrityError(PG_MESSAGE)
    except IntegrityError as error:
        logging.getLogger("django.request").error("Internal Server Error: %s", "/clients/1/", exc_info=True)
        logging.getLogger("celery.app.trace").error(
            "Task %(name)s raised unexpected: %(exc)r", {"name": "t", "exc": error}
        )
    assert "Internal Server Error: /clients/1/" in caplog.text
    assert "raised unexpected" in caplog.text
    assert "enrollment_closure_has_reason" in caplog.text
    assert SECRET not in caplog.text


def test_the_console_handler_redacts_any_logger():
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(x, RedactDatabaseDetails) for x in h.filters)]
    assert handlers, "settings.LOGGING's console handler carries the filter"
    try:
        raise IntegrityError(PG_MESSAGE)
    except IntegrityError:
        record = logging.getLogger("clients.anything").makeRecord(
            "clients.anything",
            logging.ERROR,
            __file__,
            1,
            "Save failed: %s",
            (PG_MESSAGE,),
            __import__("sys").exc_info(),
        )
    assert handlers[0].filter(record)
    assert SECRET not in handlers[0].format(record)


def test_query_parameters_are_dropped_from_the_query_log(caplog):
    logger = logging.getLogger("django.db.backends")
    logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
            logger.debug(
                "(%.3f) %s; args=%s; alias=%s",
                0.001,
                "UPDATE x SET note = %s",
                (SECRET,),
                "default",
                extra={"duration": 0.001, "sql": "UPDATE x SET note = %s", "params": (SECRET,), "alias": "default"},
            )
    finally:
        logger.setLevel(logging.WARNING)
    assert "UPDATE x SET note" in caplog.text
    assert SECRET not in caplog.text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's DETAIL lines")
def test_a_real_postgresql_constraint_failure_is_logged_without_the_row(caplog):
    enrollment = f.EnrollmentFactory(closure_note=SECRET)
    client = f.ClientFactory(record_number="R-SECRET-77")
    errors = []
    with pytest.raises(IntegrityError) as check_failure, transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(closure_date=enrollment.enrollment_date, closure_reason="")
    errors.append(check_failure.value)
    with pytest.raises(IntegrityError) as key_failure, transaction.atomic():
        Client.objects.create(
            program=client.program,
            record_number="R-SECRET-77",
            first_name="A",
            last_name="B",
            date_of_birth=client.date_of_birth,
            diagnosis_group=client.diagnosis_group,
        )
    errors.append(key_failure.value)
    assert "Failing row contains" in str(errors[0]) and SECRET in str(errors[0])  # what would have leaked
    assert "R-SECRET-77" in str(errors[1])
    for error in errors:
        try:
            raise error
        except IntegrityError:
            logging.getLogger("django.request").exception("Internal Server Error: %s", "/x/")
            logging.getLogger("celery.app.trace").error("Task failed: %r", error, exc_info=True)
    assert caplog.text.count("Internal Server Error") == 2
    assert "enrollment_closure_has_reason" in caplog.text
    assert "Failing row contains" not in caplog.text
    assert SECRET not in caplog.text
    assert "R-SECRET-77" not in caplog.text
