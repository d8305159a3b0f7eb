"""The ladder page and the guided questionnaire at /ladder/classify."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest

from peerladder.ladder import ECONOMIES, RUNGS, question

pytestmark = pytest.mark.django_db

FIRM_DESIGNS = {"directed_by": "firm", "participant_role": "designs"}
LINUX = {
    "directed_by": "peers",
    "value": "use",
    "producers": "group",
    "monetization": "commons_ecology",
}


def page(client, path: str, answers: dict[str, str] | None = None):
    url = f"{path}?{urlencode(answers)}" if answers else path
    response = client.get(url)
    return response, html.unescape(response.content.decode())


def asked_fields(text: str) -> set[str]:
    return set(re.findall(r'<input type="radio" name="([a-z_]+)"', text))


def section(text: str, element_id: str) -> str:
    start = text.index(f'id="{element_id}"')
    return text[start : text.index("</section>", start)]


def test_ladder_page_shows_the_rungs_in_two_halves(client):
    response, text = page(client, "/ladder")
    assert response.status_code == 200
    firm_half = section(text, "firm-view")
    community_half = section(text, "community-view")
    for r in RUNGS:
        half = firm_half if r.number <= 5 else community_half
        other = community_half if r.number <= 5 else firm_half
        assert r.name in half
        assert r.name not in other
        assert r.definition in half
        assert f'href="/ladder/{r.number}"' in half


def test_ladder_page_shows_examples_and_the_three_economies(client):
    _, text = page(client, "/ladder")
    assert "IKEA" in text and "Mondragon" in text
    for economy in ECONOMIES:
        assert economy.name in text
        assert economy.definition in text
    assert "viable" in text and "marginal" in text
    assert 'href="/ladder/classify"' in text


def test_first_step_asks_only_who_directs(client):
    response, text = page(client, "/ladder/classify")
    assert response.status_code == 200
    assert asked_fields(text) == {"directed_by"}
    assert "<legend>Who decides what gets made?</legend>" in text
    assert 'id="result-link"' not in text


def test_firm_branch_asks_the_participant_role_and_not_monetization(client):
    _, text = page(client, "/ladder/classify", {"directed_by": "firm"})
    assert asked_fields(text) == {"directed_by", "participant_role"}
    assert 'value="firm" checked' in text
    for choice in question("participant_role").values:
        assert choice.label in text


def test_peers_branch_asks_monetization_only_for_use_value(client):
    _, text = page(client, "/ladder/classify", {"directed_by": "peers"})
    assert asked_fields(text) == {"directed_by", "value", "producers"}
    _, text = page(client, "/ladder/classify", {"directed_by": "peers", "value": "use"})
    assert "monetization" in asked_fields(text)
    _, text = page(client, "/ladder/classify", {"directed_by": "peers", "value": "exchange"})
    assert "monetization" not in asked_fields(text)


def test_full_firm_answer_shows_the_rung_and_the_explanation(client):
    response, text = page(client, "/ladder/classify", FIRM_DESIGNS)
    assert response.status_code == 200
    assert "Rung 5: Co-creation" in text
    assert "Firm view" in text
    assert "Participants take part in designing the product itself: rung 5, Co-creation." in text
    # Once the branch is settled, the optional questions refine the result.
    assert {"contributor_pay", "capital_cost"} <= asked_fields(text)


def test_explanation_steps_are_shown_in_order(client):
    _, text = page(client, "/ladder/classify", {**LINUX, "output_license": "commons"})
    steps = re.findall(r"<li>(.*?)</li>", text.split('class="explanation"')[1].split("</ol>")[0])
    assert len(steps) == 4
    assert steps[0].startswith("The peers decide")
    assert "commons economy" in steps[-1]


def test_linux_answers_give_rung_eight(client):
    _, text = page(client, "/ladder/classify", {**LINUX, "output_license": "commons"})
    assert "Rung 8: Commons with a business ecology" in text
    assert "Commons economy" in text


def test_optional_answers_may_stay_blank(client):
    answers = {**LINUX, "output_license": "", "capital_cost": "low", "coordination_cost": ""}
    response, text = page(client, "/ladder/classify", answers)
    assert response.status_code == 200
    assert "Rung 8: Commons with a business ecology" in text
    assert "None of the three" in text
    assert "Not assessed" in text


def test_both_costs_give_the_viability(client):
    answers = {**FIRM_DESIGNS, "capital_cost": "medium", "coordination_cost": "high"}
    _, text = page(client, "/ladder/classify", answers)
    # A firm rung: the verdict is about whether the output could be peer-produced.
    assert "Could not yet be peer-produced" in text
    assert "The same output could not yet be peer-produced" in text and "Jed Harris" in text


def test_producers_mismatch_is_shown_as_a_warning(client):
    _, text = page(client, "/ladder/classify", {**LINUX, "producers": "individuals"})
    assert "Rung 8: Commons with a business ecology" in text
    assert "Rung 8 is tied to a group of producers" in text


def test_answers_off_the_branch_are_set_aside_with_a_notice(client):
    _, text = page(client, "/ladder/classify", {**FIRM_DESIGNS, "monetization": "none"})
    assert "Rung 5: Co-creation" in text
    assert "were set aside" in text
    assert "monetization" not in asked_fields(text)
    # The language switcher reopens this very address (with its notice) in another
    # language; every link the page makes itself leaves the answer out.
    made_here = re.sub(r'<details class="language-switch">.*?</details>', "", text, flags=re.S)
    assert "monetization=" not in made_here


@pytest.mark.parametrize(
    "query",
    [
        {"directed_by": "robots"},
        {"directed_by": "firm", "participant_role": "juggles"},
        {**FIRM_DESIGNS, "capital_cost": "enormous"},
        {"directed_by": "<script>alert(1)</script>"},
        {"directed_by": "x" * 3000},
    ],
    ids=["direction", "role", "optional", "markup", "long"],
)
def test_bad_values_show_an_error_not_a_500(client, query):
    response = client.get(f"/ladder/classify?{urlencode(query)}")
    assert response.status_code in (200, 400)
    raw = response.content.decode()
    assert "<script>alert(1)</script>" not in raw
    text = html.unescape(raw)
    assert "could not be used" in text
    assert "is not an answer to" in text
    assert 'id="result-link"' not in text


def test_a_question_answered_twice_is_an_error(client):
    response = client.get("/ladder/classify?directed_by=firm&directed_by=peers")
    assert response.status_code in (200, 400)
    assert "more than once" in response.content.decode()


def test_unknown_parameters_are_ignored(client):
    response, text = page(client, "/ladder/classify", {**FIRM_DESIGNS, "utm_source": "mail"})
    assert response.status_code == 200
    assert "Rung 5: Co-creation" in text


def test_result_link_recreates_the_same_result(client):
    answers = {**LINUX, "output_license": "commons", "capital_cost": "low"}
    _, text = page(client, "/ladder/classify", answers)
    href = re.search(r'<a id="result-link" href="([^"]+)"', text).group(1)
    assert href.startswith("/ladder/classify?")
    again, again_text = page(client, href)
    assert again.status_code == 200
    assert "Rung 8: Commons with a business ecology" in again_text
    assert "Commons economy" in again_text
    assert 'value="low" checked' in again_text
    assert re.search(r'<a id="result-link" href="([^"]+)"', again_text).group(1) == href


def test_questionnaire_is_a_plain_get_form(client):
    _, text = page(client, "/ladder/classify", {"directed_by": "firm"})
    assert '<form method="get" action="/ladder/classify"' in text
    main = text.split('<main id="main">')[1].split("</main>")[0]
    assert "<script" not in main
    assert main.count("<fieldset") == main.count("<legend>")


@pytest.mark.django_db
def test_questionnaire_shows_a_rung_hint_for_a_description_and_stores_nothing(client):
    from peerladder.catalogue.models import Placement

    response = client.get(
        "/ladder/classify", {"description": "volunteers write a free encyclopedia together"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A hint, not an answer" in html
    assert "rung " in html
    assert not Placement.objects.exists()


@pytest.mark.django_db
def test_hint_respects_the_answers_given_so_far(client):
    html = client.get(
        "/ladder/classify", {"description": "anything at all", "directed_by": "firm"}
    ).content.decode()
    hint = html.split("A hint, not an answer")[1].split("</div>")[0]
    for number in range(6, 12):
        assert f'/ladder/{number}"' not in hint
