"""Schemathesis against /api/schema/, in-process (the WSGI app, the test database), as two roles of
program A with tokens, a specialist and a supervisor: generated requests to every operation find no
server error and no response that breaks the schema. Few examples per operation and role keep the run
CI-sized (under a minute of work on one core)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


EXAMPLES = 5  # per operation and role


@pytest.fixture
def roles(specialist_a, supervisor_a, token_for, job_a, settings):
    settings.ALLOWED_HOSTS = ["*"]  # the in-process client's host name
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/hour"}}
    return {user.username: {"Authorization": f"Bearer {token_for(user)[1]}"} for user in (specialist_a, supervisor_a)}


@pytest.fixture
def auth(roles):
    return next(iter(roles.values()))


@pytest.fixture
def api_schema(auth):
    # Like Django's test client: requests must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=auth)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _explore(operation, headers):
    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_no_server_error_and_responses_match_the_schema(api_schema, roles):
    # One Hypothesis run per operation and role (schemathesis' pytest plugin does not load under pytest 9).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    failures = []
    for role, headers in roles.items():
        for operation in operations:
            try:
                _explore(operation, headers)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{role}: {operation.method.upper()} {operation.path}: {exc}")
    assert failures == []
