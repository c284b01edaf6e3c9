"""Schemathesis against the OpenAPI schema the API serves (GET /api/schema): generated valid and invalid
requests to every operation → never a 500, and every response conforms to the documented status codes, content
type and body schema. A bounded number of examples per operation (``max_examples``) keeps it to seconds.

Requires ``schemathesis==4.32.5`` (requirements/dev.txt). The requests carry a matching CSRF cookie and header
(as a browser beacon does), so the generated bodies reach validation instead of all stopping at the CSRF check.
"""

import secrets

import pytest
import schemathesis  # requirements/dev.txt: a missing install fails here, it never skips
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.checks import content_type_conformance

from courseplatform.wsgi import application

CSRF = secrets.token_hex(16)  # 32 characters: a valid unmasked token


def _with_csrf(app):
    def wrapped(environ, start_response):
        environ["HTTP_COOKIE"] = f"csrftoken={CSRF}"
        environ["HTTP_X_CSRFTOKEN"] = CSRF
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return app(environ, start_response)

    return wrapped


APP = _with_csrf(application)
schema = schemathesis.openapi.from_wsgi("/api/schema?format=json", APP)


@pytest.fixture(autouse=True)
def _data(db, settings):
    from tests.factories import CourseFactory

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "100000/min", "feed": "100000/min"}}
    CourseFactory.create_batch(3)
    # as django.test.Client does: keep the test's connection open across requests to the WSGI handler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])
#: documented-schema mismatches found by this test in recommender/api.py (reported to the lead); each entry is
#: (path, status, text of the failure). Other failures fail the test.
KNOWN_MISMATCHES: list[tuple[str, int, str]] = []


@schema.parametrize()
@FUZZ
def test_api_never_500s_and_answers_documented_status_codes(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance])


@schema.parametrize()
@FUZZ
def test_api_response_bodies_match_the_schema(case):
    from schemathesis.core.failures import FailureGroup

    response = case.call()
    try:
        case.validate_response(response, checks=[response_schema_conformance])
    except FailureGroup as group:
        unknown = [failure for failure in group.exceptions if not any(
            case.operation.path == path and response.status_code == status and text in str(failure)
            + str(getattr(failure, "schema_path", "")) + str(getattr(failure, "title", ""))
            for path, status, text in KNOWN_MISMATCHES)]
        if unknown:
            raise
