"""A case's own fields, sources and relations: created and changed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from peerladder.accounts.models import User
from peerladder.catalogue import revision_summaries as summaries
from peerladder.catalogue.models import Case, FormerSlug, Relation, Source
from peerladder.catalogue.record import LIMITS
from peerladder.catalogue.services.placements import write_placement
from peerladder.catalogue.services.review import reviewed
from peerladder.catalogue.services.translations import check_may_mark_editorial, write_translations
from peerladder.catalogue.services.writing import (
    check_may_edit,
    check_may_write,
    check_unique,
    lock_case,
    raise_if,
    record_revision,
    set_countries,
)
from peerladder.catalogue.validation import (
    Errors,
    check_case,
    clean_case,
    clean_relation,
    clean_source,
    clean_translations,
)
from peerladder.errors import InvalidInput, refusal
from peerladder.ladder import FieldError


def unique_slug(name: str) -> str:
    """A slug made from ``name`` (accents dropped, words joined by hyphens) that no case
    has yet: ``-2``, ``-3``… is added when it is taken."""
    base = slugify(name).replace("_", "-")
    base = "-".join(part for part in base.split("-") if part)[: LIMITS.slug - 4].strip("-")
    base = base or "case"
    # A former slug is taken too: it still leads to its case.
    taken = set(Case.objects.filter(slug__startswith=base).values_list("slug", flat=True)[:10_000])
    taken |= set(
        FormerSlug.objects.filter(slug__startswith=base).values_list("slug", flat=True)[:10_000]
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def slug_moved(*, case: Case, former: str) -> None:
    """Keep ``former`` (the slug ``case`` had until now) leading to the case. Called in
    the transaction of the write that changed the slug; a case taking back one of its
    own former slugs drops it from the list."""
    FormerSlug.objects.filter(slug=case.slug).delete()
    if former and former != case.slug:
        FormerSlug.objects.update_or_create(slug=former, defaults={"case": case})


@reviewed("case_create")
@transaction.atomic
def case_create(
    *,
    author: User,
    fields: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]] = (),
    placements: Sequence[Mapping[str, Any]] = (),
    summary: str = "",
) -> Case:
    """Create a case, optionally with its first sources and placements, as revision 1.

    Without a slug, one is made from the name (:func:`unique_slug`).
    """
    check_may_write(author)
    if not fields.get("slug") and isinstance(fields.get("name"), str) and fields["name"].strip():
        fields = {**fields, "slug": unique_slug(fields["name"])}
    errors: Errors = []
    checked = check_case(
        {**fields, "sources": list(sources), "placements": list(placements)}, errors
    )
    if checked is not None:
        check_unique(checked.fields, errors)
    raise_if(errors)
    assert checked is not None
    check_may_mark_editorial(author, None, checked.translations)
    values = dict(checked.fields)
    countries = values.pop("countries", [])
    try:
        with transaction.atomic():
            case = Case.objects.create(**values)
    except IntegrityError:
        raise InvalidInput(
            [FieldError.keyed("slug", values.get("slug"), None, refusal("identity.taken"))]
        ) from None
    set_countries(case, countries)
    Source.objects.bulk_create(
        Source(case=case, added_by=author, **source) for source in checked.sources
    )
    for placement in checked.placements:
        write_placement(case, placement, author=author)
    write_translations(case, checked.translations, replace=True)
    record_revision(
        case, author=author, action="create", summary=summary or summaries.CREATED.text()
    )
    return case


@reviewed("case_update")
@transaction.atomic
def case_update(
    *,
    case: Case,
    author: User,
    changes: Mapping[str, Any],
    base_revision: int | None,
    summary: str = "",
    by_operator: bool = False,
) -> Case:
    """Change a case's own fields and, under ``translations``, its texts in other
    languages (each language given replaces that language's texts; null removes it).
    Refused when the case moved past ``base_revision``, and a translation marked
    ``editorial`` by an author who does not speak for the editors
    (``check_may_mark_editorial``) unless ``by_operator``: an import run by the site's
    operator on the command line, whose file's markers are data like the rest of it."""
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    errors: Errors = []
    cleaned = clean_case(changes, errors, partial=True)
    translations = clean_translations(changes.get("translations"), errors, partial=True)
    check_unique(cleaned, errors, exclude=case.pk)
    raise_if(errors)
    if not by_operator:
        check_may_mark_editorial(author, case, translations)
    countries = cleaned.pop("countries", None)
    founded = cleaned.get("founded", case.founded)
    ended = cleaned.get("ended", case.ended)
    if founded is not None and ended is not None and ended < founded:
        raise InvalidInput(
            [
                FieldError.keyed(
                    "ended",
                    ended,
                    None,
                    refusal("ended-before-founded", ended=ended, founded=founded),
                )
            ]
        )
    former = case.slug
    for name, value in cleaned.items():
        setattr(case, name, value)
    if countries is not None:
        set_countries(case, countries)
    if case.slug != former:
        slug_moved(case=case, former=former)
    write_translations(case, translations, replace=False)
    record_revision(case, author=author, action="edit", summary=summary or summaries.EDITED.text())
    return case


@reviewed("source_add")
@transaction.atomic
def source_add(
    *, case: Case, author: User, source: Mapping[str, Any], base_revision: int | None = None
) -> Source:
    """Add a source to a case."""
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    errors: Errors = []
    data = clean_source(source, errors, prefix="")
    if not errors and case.sources.filter(url=data["url"]).exists():
        errors.append(FieldError.keyed("url", data["url"], None, refusal("source.cited")))
    raise_if(errors)
    created = Source.objects.create(case=case, added_by=author, **data)
    record_revision(
        case,
        author=author,
        action="source_add",
        summary=summaries.SOURCE_ADDED.text(title=created.title),
    )
    return created


@reviewed("relation_add")
@transaction.atomic
def relation_add(
    *, case: Case, author: User, relation: Mapping[str, Any], base_revision: int | None = None
) -> Relation:
    """Link a case to another: "case <type> target"."""
    case = lock_case(case, base_revision=base_revision)
    check_may_edit(case, author)
    errors: Errors = []
    data = clean_relation(relation, errors, prefix="")
    target = (
        Case.objects.filter(slug=data.get("target"), archived=False).first() if not errors else None
    )
    if not errors and target is None:
        errors.append(
            FieldError.keyed(
                "target",
                data["target"],
                None,
                refusal("case.unknown", slug=repr(data["target"])),
            )
        )
    elif target is not None and target.pk == case.pk:
        errors.append(FieldError.keyed("target", data["target"], None, refusal("relation.self")))
    elif (
        target is not None
        and Relation.objects.filter(subject=case, type=data["type"], target=target).exists()
    ):
        errors.append(FieldError.keyed("target", data["target"], None, refusal("relation.exists")))
    raise_if(errors)
    assert target is not None
    created = Relation.objects.create(subject=case, type=data["type"], target=target)
    record_revision(
        case,
        author=author,
        action="relation_add",
        summary=summaries.LINKED.text(type=data["type"], target=target.slug),
    )
    return created
