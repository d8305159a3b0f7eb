"""Reverting a case to an earlier revision: its fields, sources, placements and relations
become those of the revision's snapshot, as a new revision (history is kept)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import Case, Placement, Relation, Revision, Source
from peerladder.catalogue.record import EDITABLE_CASE_FIELDS, placement_identity
from peerladder.catalogue.records import placement_record_of
from peerladder.catalogue.services.cases import slug_moved
from peerladder.catalogue.services.placements import write_placement
from peerladder.catalogue.services.review import reviewed
from peerladder.catalogue.services.translations import write_translations
from peerladder.catalogue.services.writing import (
    check_may_edit,
    check_unique,
    lock_case,
    raise_if,
    record_revision,
    set_countries,
)
from peerladder.catalogue.validation import (
    Errors,
    check_placement,
    clean_case,
    clean_source,
    clean_translations,
)
from peerladder.errors import InvalidInput, refusal
from peerladder.ladder import FieldError


@reviewed("case_revert")
@transaction.atomic
def case_revert(
    *,
    case: Case,
    author: User,
    revision: int,
    base_revision: int | None = None,
    summary: str = "",
) -> Case:
    """Restore the case as it was at ``revision``, as a new revision (history is kept)."""
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    target = Revision.objects.filter(case=case, number=revision).first()
    if target is None:
        raise InvalidInput(
            [
                FieldError.keyed(
                    "revision", revision, None, refusal("revision.unknown", revision=revision)
                )
            ]
        )
    _restore(case, target.snapshot, author=author)
    record_revision(
        case,
        author=author,
        action="revert",
        summary=summary or summaries.REVERTED.text(revision=revision),
    )
    return case


def _restore(case: Case, record: Mapping[str, Any], *, author: User) -> None:
    """Make the case's fields, translations, sources, placements and relations those of
    ``record``."""
    errors: Errors = []
    cleaned = clean_case(
        {name: record.get(name) for name in EDITABLE_CASE_FIELDS}, errors, partial=True
    )
    translations = clean_translations(record.get("translations"), errors)
    check_unique(cleaned, errors, exclude=case.pk)
    raise_if(errors)
    # A revision from before translations were kept had none.
    write_translations(case, translations, replace=True)
    countries = cleaned.pop("countries", [])
    former = case.slug
    for name, value in cleaned.items():
        setattr(case, name, value)
    set_countries(case, countries)
    if case.slug != former:
        slug_moved(case=case, former=former)

    wanted_sources = {}
    for source in record.get("sources") or []:
        data = clean_source(source, errors, prefix="")
        if data.get("url"):
            wanted_sources[data["url"]] = data
    raise_if(errors)
    for url, data in wanted_sources.items():
        updated = Source.objects.filter(case=case, url=url).update(
            **{key: value for key, value in data.items() if key != "url"}
        )
        if not updated:
            Source.objects.create(case=case, added_by=author, **data)

    _restore_placements(case, record.get("placements") or [], author=author)

    # Sources the record does not cite go, unless an active placement still cites them.
    active = Placement.objects.filter(case=case, retracted_at__isnull=True)
    Source.objects.filter(case=case).exclude(url__in=list(wanted_sources)).exclude(
        placements__in=active
    ).delete()

    wanted_relations = {
        (relation["type"], relation["target"]) for relation in record.get("relations") or []
    }
    for relation in Relation.objects.filter(subject=case).select_related("target"):
        if (relation.type, relation.target.slug) not in wanted_relations:
            relation.delete()
    for kind, slug in sorted(wanted_relations):
        target = Case.objects.filter(slug=slug, archived=False).exclude(pk=case.pk).first()
        if target is not None:
            Relation.objects.get_or_create(subject=case, type=kind, target=target)


def _restore_placements(case: Case, records: Sequence[Mapping[str, Any]], *, author: User) -> None:
    wanted = Counter(placement_identity(record) for record in records)
    now = timezone.now()
    placements = case.placements.select_related("author").prefetch_related("sources")
    for placement in placements.filter(retracted_at__isnull=True).order_by("id"):
        key = placement_identity(placement_record_of(placement))
        if wanted[key] > 0:
            wanted[key] -= 1
        else:
            placement.retracted_at = now
            placement.save(update_fields=["retracted_at"])
    retracted = list(placements.filter(retracted_at__isnull=False).order_by("-retracted_at"))
    known_urls = set(case.sources.values_list("url", flat=True))
    for record in records:
        key = placement_identity(record)
        if wanted[key] <= 0:
            continue
        wanted[key] -= 1
        earlier = next(
            (
                p
                for p in retracted
                if p.retracted_at != now and placement_identity(placement_record_of(p)) == key
            ),
            None,
        )
        if earlier is not None:
            retracted.remove(earlier)
            earlier.retracted_at = None
            earlier.save(update_fields=["retracted_at"])
            continue
        errors: Errors = []
        checked = check_placement(record, errors, prefix="", known_urls=known_urls)
        raise_if(errors)
        assert checked is not None
        placed_by = User.objects.filter(username=record.get("author")).first() or author
        write_placement(case, checked, author=placed_by)
