"""The catalogue's pages: list with filters, case page, cases on a rung."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerladder.catalogue import services
from tests.factories import IKEA_ANSWERS, LINUX_ANSWERS, UserFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    make_case(slug="wikipedia", name="Wikipedia", countries=["US"], founded=2001)
    make_case(slug="linux", name="Linux", answers=LINUX_ANSWERS, countries=["FI"], founded=1991)
    make_case(slug="ikea", name="IKEA", answers=IKEA_ANSWERS, countries=["SE"], founded=1943)


def test_case_list_shows_cases_and_filters_by_rung(client, catalogue):
    html = client.get("/cases").content.decode()
    assert "Wikipedia" in html and "Linux" in html and "IKEA" in html
    html = client.get("/cases?rung=8").content.decode()
    assert "Linux" in html and "IKEA" not in html


def test_case_list_ignores_bad_filter_values_with_a_note(client, catalogue):
    response = client.get("/cases?rung=99&sector=space&sort=nonsense&year_from=abc&page=zz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ignored rung=" in html and "Ignored sector=" in html and "Ignored sort=" in html


def test_case_list_query_count_is_constant(client, catalogue):
    with CaptureQueriesContext(connection) as small:
        client.get("/cases")
    author = UserFactory()
    for index in range(10):
        make_case(slug=f"more-{index}", author=author, countries=["DE"])
    with CaptureQueriesContext(connection) as large:
        client.get("/cases")
    assert len(small) == len(large) <= 12


def test_case_page_shows_standing_placements_sources_and_trajectory(client, catalogue):
    linux = services.placement_add(
        case=__import__("peerladder.catalogue.models", fromlist=["Case"]).Case.objects.get(
            slug="linux"
        ),
        author=UserFactory(username="critic"),
        answers=IKEA_ANSWERS,
        valid_from="2020",
        rationale="A different view for a later period.",
        sources=["https://example.org/linux"],
    )
    response = client.get("/cases/linux")
    assert response.status_code == 200
    # The page's own strong validator (the API's "rev-N" names the revision alone).
    assert response["ETag"] != f'"rev-{linux.case.revision_number}"'
    assert response["ETag"].startswith('"') and "W/" not in response["ETag"]
    html = response.content.decode()
    assert "Commons with a business ecology" in html
    assert "Do it yourself" in html
    assert "1991" in html or "2001" in html
    assert "critic" in html
    assert "https://example.org/linux" in html
    assert "2020–now" in html


def test_contested_case_is_shown_as_contested(client):
    case = make_case(slug="split")
    services.placement_add(
        case=case,
        author=UserFactory(),
        answers=LINUX_ANSWERS,
        valid_from="2001",
        rationale="Another reading.",
        sources=["https://example.org/split"],
    )
    html = client.get("/cases/split").content.decode()
    assert "Contested: 6 vs 8, 1–1." in html
    assert "none (tied)" in html  # the trajectory's table


def test_case_page_query_count_is_constant(client, catalogue):
    """Rendered afresh (an empty cache), the page costs the same queries however many
    placements the case has."""
    from django.core.cache import cache

    from peerladder.catalogue.models import Case

    client.get("/cases/ikea")  # the first view of the day inserts its counter row
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get("/cases/ikea")
    ikea = Case.objects.get(slug="ikea")
    for index in range(5):
        services.placement_add(
            case=ikea,
            author=UserFactory(),
            answers=IKEA_ANSWERS,
            valid_from=str(1950 + index),
            rationale="Another period.",
            sources=[{"url": f"https://example.org/ikea-{index}", "title": f"S{index}"}],
        )
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get("/cases/ikea")
    assert len(small) == len(large) <= 16


def test_unknown_case_is_404(client):
    assert client.get("/cases/no-such-case").status_code == 404


def test_rung_page_lists_the_cases_standing_on_it(client, catalogue):
    html = client.get("/ladder/8").content.decode()
    assert "Linux" in html and "Wikipedia" not in html
    assert client.get("/ladder/12").status_code == 404


def test_script_in_free_text_is_shown_as_text(client):
    make_case(slug="xss", name="<script>alert(1)</script>", summary="<img src=x onerror=alert(1)>")
    html = client.get("/cases/xss").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_ladder_page_counts_the_cases_agreed_on_each_rung(client, catalogue):
    html = client.get("/ladder").content.decode()
    assert html.count("1 agreed case<") == 3  # IKEA on 3, Wikipedia on 6, Linux on 8
    assert html.count("0 agreed cases<") == 8


def test_case_page_has_cite_box_similar_section_and_counts_a_view(client, catalogue):
    from peerladder.catalogue.models import CaseViewDay

    html = client.get("/cases/linux").content.decode()
    assert "Cite this case" in html
    assert "@misc{" in html or "@online{" in html
    assert "Similar cases" in html
    client.get("/cases/linux")
    assert CaseViewDay.objects.get(case__slug="linux").count == 2


def test_old_revision_permalink_shows_that_revision(client, catalogue):
    from peerladder.catalogue.models import Case

    linux = Case.objects.get(slug="linux")
    services.case_update(
        case=linux, author=UserFactory(), changes={"name": "Linux kernel"}, base_revision=1
    )
    old = client.get("/cases/linux?revision=1").content.decode()
    assert "revision 1" in old and "<h1>Linux</h1>" in old
    assert "Linux kernel" in client.get("/cases/linux").content.decode()
    assert client.get("/cases/linux?revision=99").status_code == 404


def test_case_list_offers_downloads_of_the_filtered_cases(client, catalogue):
    html = client.get("/cases?rung=8").content.decode()
    assert "/api/export?format=csv&amp;rung=8" in html
