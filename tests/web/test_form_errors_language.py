"""A form's refusals in the page's language: the same check, its wording translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from peerladder.catalogue.models import Case
from peerladder.ladder import rung
from peerladder.lexicon import rung_shown
from tests.factories import UserFactory, make_case
from tests.web.test_edit_pages import NEW_CASE

pytestmark = pytest.mark.django_db

BAD = {**NEW_CASE, "founded": "3000", "valid_from": "soon"}

# The founded year and the period, as the check of an incoming case words them; beside
# its field, a message names the field by the form's label, quoted as each language does.
EXPECTED = {
    "": (
        "“Founded” must be a year from 1000 to 2200",
        "“From” must be a year (YYYY) or a date (YYYY-MM-DD)",
    ),
    "/es": (
        "«Fundación» debe ser un año entre 1000 y 2200",
        "«Desde» debe ser un año (AAAA) o una fecha (AAAA-MM-DD)",
    ),
    "/de": (
        "„Gegründet“ muss ein Jahr von 1000 bis 2200 sein",
        "„Von“ muss ein Jahr (JJJJ) oder ein Datum (JJJJ-MM-TT) sein",
    ),
    "/fr": (
        "«\u00a0Fondation\u00a0» doit être une année comprise entre 1000 et 2200",
        "«\u00a0Début\u00a0» doit être une année (AAAA) ou une date (AAAA-MM-JJ)",
    ),
}


@pytest.fixture
def writer(client):
    user = UserFactory(username="writer")
    client.force_login(user)
    return user


@pytest.mark.parametrize("prefix", list(EXPECTED))
def test_a_refused_new_case_names_each_problem_in_the_pages_language(client, writer, prefix):
    response = client.post(f"{prefix}/cases/new", BAD)
    assert response.status_code == 400
    page = response.content.decode()
    errors = response.context["form"].errors
    assert errors["founded"] == [EXPECTED[prefix][0]]
    assert errors["valid_from"] == [EXPECTED[prefix][1]]
    for text in EXPECTED[prefix]:
        assert text in page
    if prefix:
        assert "must be a year" not in page
    assert not Case.objects.exists()


def test_the_ladders_refusal_of_the_answers_is_in_the_pages_language_too(client, writer):
    data = {key: value for key, value in NEW_CASE.items() if key != "answer_value"}
    response = client.post("/de/cases/new", data)
    assert response.status_code == 400
    assert "answer_value" in response.context["form"].errors
    assert (
        "&#x27;value&#x27; fehlt: es ist auf diesem Zweig erforderlich (directed_by = peers); "
        "erlaubt: use, exchange"
    ) in response.content.decode()


def test_the_rung_hint_beside_a_refused_form_names_rungs_in_the_pages_language(client, writer):
    make_case(slug="open-atlas-project", name="Open Atlas", website="https://atlas.example/")
    response = client.post("/de/cases/new", {**BAD, "website": "https://atlas.example/"})
    hints = response.context["hints"]
    assert hints
    page = response.content.decode()
    for hint in hints:
        number = hint["rung"].number
        with translation.override("de"):
            german = rung_shown(rung(number)).name
        assert f"Sprosse {number} ({german})" in page
        assert rung(number).name not in page
