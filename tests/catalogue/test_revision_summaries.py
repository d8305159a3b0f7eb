"""Revision summaries: stored in English as the services write them, shown in the
reader's language when a page shows one the site wrote."""

from __future__ import annotations

import pytest
from django.utils import translation

from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue import services
from peerladder.catalogue.models import Revision
from peerladder.catalogue.revision_summaries import SUMMARIES, summary_shown
from tests.factories import UserFactory, make_case


def test_a_written_summary_reads_back_as_the_same_english():
    assert summaries.TRANSLATED.text(language="Español") == "Translated (Español)"
    assert summary_shown("Translated (Español)") == "Translated (Español)"


def test_each_template_is_shown_in_spanish_with_its_values():
    with translation.override("es"):
        assert summary_shown("Created the case") == "Caso creado"
        assert summary_shown("Translated (Español)") == "Traducido (Español)"
        assert summary_shown("Placed on rung 7 from 2001") == "Ubicado en el peldaño 7 desde 2001"
        assert summary_shown("Reverted to revision 3") == "Revertido a la revisión 3"
        assert (
            summary_shown("Added source About it: a study") == "Fuente añadida: About it: a study"
        )


def test_a_link_summary_names_the_relation_by_its_label():
    with translation.override("es"):
        assert summary_shown("Linked: fork_of wikipedia") == (
            "Enlazado: es una bifurcación de wikipedia"
        )


def test_a_contributors_own_summary_is_shown_as_written():
    with translation.override("de"):
        assert summary_shown("Fixed the founding year") == "Fixed the founding year"
        assert summary_shown("Created the case, with sources") == "Created the case, with sources"
        assert summary_shown("") == ""


@pytest.mark.parametrize("language", ["es", "fr", "pt-br", "de", "it"])
def test_every_template_is_translated_and_keeps_its_fields(language):
    for template in SUMMARIES:
        values = {name: f"<{name}>" for name in template.pattern.groupindex}
        written = template.text(**values)
        with translation.override(language):
            shown = summary_shown(written)
        assert shown != written, (language, template.english)
        for name in values:
            if name != "type":
                assert f"<{name}>" in shown, (language, template.english)


@pytest.mark.django_db
def test_services_store_the_english_whatever_the_active_language():
    editor = UserFactory(username="editor")
    with translation.override("es"):
        case = make_case(slug="coop", author=editor)
        services.translation_set(
            case=case,
            author=editor,
            language="es",
            texts={"summary": "Una cooperativa."},
            base_revision=1,
        )
    stored = list(Revision.objects.filter(case=case).order_by("number").values_list("summary"))
    assert stored == [("Created the case",), ("Translated (Español)",)]
