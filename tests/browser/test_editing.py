"""A contributor's whole round in Chromium: sign up, add a case, place it, edit it, read
its history and a diff, and revert."""

from __future__ import annotations

import re

import pytest

from peerladder.catalogue.models import Case
from tests.factories import IKEA_ANSWERS, WIKIPEDIA_ANSWERS

pytestmark = pytest.mark.django_db(transaction=True)


def _answer(page, answers):
    for field, value in answers.items():
        page.check(f"input[name=answer_{field}][value={value}]")


def test_sign_up_create_place_edit_diff_and_revert(live_server, page, settings):
    settings.REVIEW_FIRST_EDITS = 0  # this account is trusted: the review queue has its own tests
    url = live_server.url

    page.goto(url + "/accounts/signup/")
    page.fill("#id_username", "browser-ada")
    page.fill("#id_password1", "a-long-browser-pass-1")
    page.fill("#id_password2", "a-long-browser-pass-1")
    page.click("button[type=submit]:has-text('Sign up')")
    page.wait_for_url(url + "/accounts/browser-ada")
    assert page.get_by_role("link", name="browser-ada").first.is_visible()

    page.goto(url + "/cases/new")
    page.fill("#id_slug", "browser-commons")
    page.fill("#id_name", "Browser Commons")
    page.fill("#id_summary", "A commons made in a browser test.")
    page.select_option("#id_sector", "knowledge")
    page.fill("#id_source_url", "https://browser.example/")
    page.fill("#id_source_title", "About it")
    _answer(page, WIKIPEDIA_ANSWERS)
    page.fill("#id_valid_from", "2001")
    page.fill("#id_rationale", "Peers make it for its users.")
    page.click("button[type=submit]:has-text('Add the case')")
    page.wait_for_url(url + "/cases/browser-commons")
    assert page.get_by_role("heading", name="Browser Commons").is_visible()

    page.goto(url + "/cases/browser-commons/placements/new")
    _answer(page, IKEA_ANSWERS)
    page.fill("#id_valid_from", "2015")
    page.fill("#id_rationale", "Later a firm directed it.")
    page.check("input[name=source][value='https://browser.example/']")
    page.click("button[type=submit]:has-text('Add my placement')")
    page.wait_for_url(url + "/cases/browser-commons")

    page.goto(url + "/cases/browser-commons/edit")
    page.fill("#id_name", "Browser Commons Renamed")
    page.fill("#id_comment", "A better name")
    page.click("button[type=submit]:has-text('Save')")
    page.wait_for_url(url + "/cases/browser-commons")
    assert page.get_by_role("heading", name="Browser Commons Renamed").is_visible()

    page.goto(url + "/cases/browser-commons/history")
    assert page.get_by_text("A better name").is_visible()
    page.click("button[type=submit]:has-text('Compare the chosen revisions')")
    page.wait_for_url(re.compile(r"/cases/browser-commons/diff\?"))
    assert "from=2" in page.url and "to=3" in page.url
    # Word by word: the name kept its words and gained one.
    name_row = page.locator("tr", has=page.locator("th", has_text="name"))
    assert name_row.locator("ins", has_text="Renamed").is_visible()
    assert name_row.locator("del").count() == 0

    page.goto(url + "/cases/browser-commons/history")
    page.locator("button[form=revert-1]").click()
    page.wait_for_url(url + "/cases/browser-commons/history")
    assert page.get_by_text("Restored revision 1").is_visible()
    case = Case.objects.get(slug="browser-commons")
    assert (case.name, case.revision_number, case.placement_count) == ("Browser Commons", 4, 1)
