"""Every API operation, driven by schemathesis from our own OpenAPI document: no request
gives a 500, and every response matches the documented status codes and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import LINUX_ANSWERS, make_case


def load_schema():
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def operation_labels() -> list[str]:
    import django

    django.setup()
    return sorted(result.ok().label for result in load_schema().get_all_operations() if result.ok())


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which would close the
    test's database connection (and its transaction) on PostgreSQL; Django's own test
    client disconnects the same handlers."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("label", operation_labels())
def test_api_operation_matches_its_documentation(label, keep_test_connection):
    make_case(slug="linux", answers=LINUX_ANSWERS, countries=["FI"], founded=1991)
    operation = next(
        result.ok()
        for result in load_schema().get_all_operations()
        if result.ok() and result.ok().label == label
    )

    @given(data=st.data())
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(data):
        case = data.draw(operation.as_strategy())
        case.call_and_validate()

    check()
