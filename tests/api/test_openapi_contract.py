"""Every API operation, driven by schemathesis from our own OpenAPI document: no request
gives a 500, and every response matches the documented status codes and schemas.

Half the examples name a real case and carry a real token (and, for an edit, the
case's current ETag half of the time), so the writes under ``{slug}`` are fuzzed
past their 404 and 401 into the catalogue's own checks. The schemas are loose on
purpose: the one check of incoming data (catalogue.validation) holds the rules and
answers 422, so schemathesis's "valid data is accepted" check does not apply.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerladder.accounts.models import Role
from peerladder.accounts.services import token_create
from peerladder.catalogue.models import Case
from tests.factories import LINUX_ANSWERS, UserFactory, make_case

SUMMARIES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=80
).filter(str.strip)

# Our schemas leave the rules to the one check (422), so schema-valid is not valid.
CHECKS_NOT_APPLYING = [schemathesis.checks.positive_data_acceptance]


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
    make_case(slug="debian", answers=LINUX_ANSWERS)
    # An established moderator: the edit limit of a new account would answer most with 429.
    editor = UserFactory(
        username="fuzzer", role=Role.MODERATOR, date_joined=timezone.now() - timedelta(days=30)
    )
    token = token_create(user=editor, name="fuzz")[1]
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
        if data.draw(st.booleans(), label="real case and token"):
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = data.draw(st.sampled_from(["linux", "debian"]))
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            slug = (case.path_parameters or {}).get("slug")
            current = Case.objects.filter(slug=slug).values_list("revision_number", flat=True)
            if current and data.draw(st.booleans(), label="current If-Match"):
                case.headers["If-Match"] = f'"rev-{current[0]}"'
                if label == "PATCH /api/cases/{slug}" and data.draw(st.booleans()):
                    # A change the catalogue takes, so the 200's body is checked too.
                    case.body = {"summary": data.draw(SUMMARIES, label="summary")}
        case.call_and_validate(excluded_checks=CHECKS_NOT_APPLYING)

    check()
