"""Schemathesis drives every operation of the API from its OpenAPI schema:
generated inputs, valid and invalid (NUL bytes, huge numbers, unknown
values), must never give a server error, and every answer must match the
schema (status code, content type, headers, body).

A few rows of each kind are in the database so that lists and details have
something to serialise. The number of examples is kept small: the suite
runs twice in CI (SQLite and PostgreSQL).
"""

from datetime import UTC, datetime

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

from opendata.api.docs import openapi_schema
from tests import factories
from tests.rcp.factories import make_rcp
from tests.trials.factories import make_site, make_trial

CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def rows(db, axes):
    centre = factories.make_centre(slug="chu-brest", axes=[axes["pancreas"]], finess="290000017")
    person = factories.make_person()
    factories.make_role(person, centre=centre)
    make_rcp(slug="rcp-brest", organiser=centre, axes=[axes["pancreas"]], coordinator=person)
    trial = make_trial(axes=[axes["pancreas"]])
    make_site(trial, centre)
    make_site(trial, None, facility_name="Clinique", facility_city="Nantes")


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection at the end of each request
    (close_old_connections); inside the test's transaction that would end the
    transaction on PostgreSQL. Django's test client does the same as here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema as /api/schema/ serves it (built from the code, no database needed).
schema = schemathesis.openapi.from_dict(openapi_schema())
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
@time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=False)
def test_every_operation_answers_as_its_schema_says(case, rows, connection_kept):
    case.call_and_validate(checks=CHECKS)
