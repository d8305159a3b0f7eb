"""Every write to the catalogue. Each service runs in one transaction and writes the
case's revision (a snapshot of the whole case after the change) in that same
transaction, so history can never miss a change.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count
from django.utils import timezone

from peerladder.accounts.models import User
from peerladder.catalogue import selectors
from peerladder.catalogue.models import (
    Case,
    CaseCountry,
    CaseViewDay,
    ModerationAction,
    PendingEdit,
    Placement,
    Rating,
    Relation,
    Revision,
    Source,
)
from peerladder.catalogue.records import case_record
from peerladder.catalogue.standing import PlacementRow, standing
from peerladder.catalogue.validation import (
    EDITABLE_CASE_FIELDS,
    Errors,
    clean_case,
    clean_placement,
    clean_relation,
    clean_source,
)
from peerladder.errors import EditConflict, InvalidInput, NotAllowed
from peerladder.ladder import FieldError

SourceRef = str | Mapping[str, Any]
Result = TypeVar("Result")


class HeldForReview(NotAllowed):
    """A new account's edit was stored for a moderator's review instead of being applied.

    A ``NotAllowed``, so that every caller that does not know of the review queue still
    answers cleanly (403 in the API) instead of pretending the change is live.
    """

    def __init__(self, edit: PendingEdit) -> None:
        self.edit = edit
        super().__init__(
            "your edit waits for a moderator's review: the first edits of a new account are "
            "checked before they appear"
        )


def needs_review(author: User) -> bool:
    """Whether ``author``'s edits wait for a moderator (a new account's first edits)."""
    return author.review_edits_left > 0 and not author.is_moderator


class _Preview(Exception):
    """Carries the would-be snapshot out of a savepoint that is then rolled back."""

    def __init__(self, revision: Revision) -> None:
        self.revision = revision


def case_of(result: object) -> Case:
    """The case a service's result belongs to."""
    if isinstance(result, Case):
        return result
    if isinstance(result, Relation):
        return result.subject
    assert isinstance(result, Placement | Source)
    return result.case


def _call_arguments(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The call as JSON, to replay on approval (the case and author are stored apart)."""
    arguments = {
        key: value.pk if isinstance(value, Placement) else value
        for key, value in kwargs.items()
        if key not in ("author", "case", "base_revision")
    }
    return json.loads(json.dumps(arguments, cls=DjangoJSONEncoder))


def reviewed(action: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Hold the service's change for review when its author is a new account.

    The change is made in a savepoint (so it is checked exactly as a live edit would
    be), its snapshot kept as a preview, and the savepoint rolled back; the call is
    stored as a ``PendingEdit`` and ``HeldForReview`` raised. ``without_review`` on the
    returned function runs the service directly (used to apply an approved edit).
    """

    def decorate(service: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(service)
        def wrapper(**kwargs: Any) -> Result:
            author: User = kwargs["author"]
            if not needs_review(author):
                return service(**kwargs)
            try:
                with transaction.atomic():
                    case = case_of(service(**kwargs))
                    raise _Preview(Revision.objects.filter(case_id=case.pk).latest("number"))
            except _Preview as preview:
                revision = preview.revision
            target = kwargs.get("case") or (
                kwargs["placement"].case if "placement" in kwargs else None
            )
            edit = PendingEdit.objects.create(
                case=target,
                slug=revision.snapshot["slug"],
                author=author,
                action=action,
                summary=revision.summary,
                arguments=_call_arguments(kwargs),
                base_revision=revision.number - 1 if target is not None else None,
                preview=revision.snapshot,
            )
            raise HeldForReview(edit)

        wrapper.without_review = service  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _raise_if(errors: Errors) -> None:
    if errors:
        raise InvalidInput(errors)


def _check_unique(
    cleaned: Mapping[str, Any], errors: Errors, *, exclude: int | None = None
) -> None:
    others = Case.objects.exclude(pk=exclude) if exclude else Case.objects.all()
    if cleaned.get("slug") and others.filter(slug=cleaned["slug"]).exists():
        errors.append(
            FieldError(
                "slug", cleaned["slug"], None, f"a case with slug {cleaned['slug']!r} exists"
            )
        )
    if cleaned.get("wikidata") and others.filter(wikidata=cleaned["wikidata"]).exists():
        errors.append(
            FieldError(
                "wikidata",
                cleaned["wikidata"],
                None,
                f"another case already has Wikidata id {cleaned['wikidata']}",
            )
        )


def _check_may_edit(case: Case, author: User) -> None:
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    if case.locked and not author.is_moderator:
        raise NotAllowed("this case is locked: only moderators may edit it")


def _set_countries(case: Case, codes: Sequence[str]) -> None:
    CaseCountry.objects.filter(case=case).delete()
    CaseCountry.objects.bulk_create(
        CaseCountry(case=case, code=code, position=index) for index, code in enumerate(codes)
    )


def _refresh_standing(case: Case) -> None:
    rows = [
        PlacementRow(*values)
        for values in case.placements.filter(retracted_at__isnull=True).values_list(
            "valid_from", "valid_to", "rung", "economy", "viability"
        )
    ]
    latest = standing(rows)
    case.placement_count = len(rows)
    if latest is None:
        case.standing_rung = case.standing_economy = case.standing_viability = None
        case.agreement = None
        case.contested = False
    else:
        case.standing_rung = latest.rung
        case.standing_economy = latest.economy
        case.standing_viability = latest.viability
        case.agreement = latest.consensus.agreement
        case.contested = latest.consensus.contested


def _record_revision(case: Case, *, author: User | None, action: str, summary: str) -> Revision:
    """Bump the case's revision number and store the snapshot after the change."""
    _refresh_standing(case)
    parent = Revision.objects.filter(case=case, number=case.revision_number).first()
    case.revision_number += 1
    case.save()
    fresh = selectors.case_full_queryset().get(pk=case.pk)
    return Revision.objects.create(
        case=case,
        number=case.revision_number,
        parent=parent,
        author=author,
        action=action,
        summary=summary[:300],
        snapshot=case_record(fresh),
    )


def _lock(case: Case, *, base_revision: int | None) -> Case:
    """Re-read the case under a row lock and refuse a stale edit."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if base_revision is not None and base_revision != locked.revision_number:
        raise EditConflict(expected=base_revision, current=locked.revision_number)
    return locked


def _resolve_sources(
    case: Case, refs: Sequence[SourceRef], errors: Errors, *, prefix: str, author: User | None
) -> list[Source]:
    """Sources by URL of the case's own, or new ones from objects (created here)."""
    if not isinstance(refs, list | tuple) or not refs:
        errors.append(
            FieldError(prefix + "sources", refs, None, f"{prefix}sources needs at least one source")
        )
        return []
    found: list[Source] = []
    for index, ref in enumerate(refs):
        if isinstance(ref, str):
            source = case.sources.filter(url=ref.strip()).first() if case.pk else None
            if source is None:
                errors.append(
                    FieldError(
                        f"{prefix}sources[{index}]",
                        ref,
                        None,
                        f"{prefix}sources[{index}]: {ref!r} is not one of this case's sources",
                    )
                )
                continue
            found.append(source)
        else:
            data = clean_source(ref, errors, prefix=f"{prefix}sources[{index}].")
            if data.get("url"):
                source, _ = Source.objects.get_or_create(
                    case=case, url=data["url"], defaults={**data, "added_by": author}
                )
                found.append(source)
    return found


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
    """Create a case, optionally with its first sources and placements, as revision 1."""
    if author.blocked_at is not None or not author.is_active:
        raise NotAllowed("this account is blocked from editing")
    errors: Errors = []
    cleaned = clean_case(fields, errors)
    _check_unique(cleaned, errors)
    cleaned_sources = [
        clean_source(source, errors, prefix=f"sources[{index}].")
        for index, source in enumerate(sources)
    ]
    cleaned_placements = [
        clean_placement(placement, errors, prefix=f"placements[{index}].")
        for index, placement in enumerate(placements)
    ]
    _raise_if(errors)
    countries = cleaned.pop("countries", [])
    try:
        with transaction.atomic():
            case = Case.objects.create(**cleaned)
    except IntegrityError:
        raise InvalidInput(
            [FieldError("slug", cleaned.get("slug"), None, "the slug or Wikidata id is taken")]
        ) from None
    _set_countries(case, countries)
    for data in cleaned_sources:
        Source.objects.get_or_create(
            case=case, url=data["url"], defaults={**data, "added_by": author}
        )
    for index, (raw, data) in enumerate(zip(placements, cleaned_placements, strict=True)):
        _create_placement(
            case, data, raw.get("sources") or [], author, errors, prefix=f"placements[{index}]."
        )
    _raise_if(errors)
    _record_revision(case, author=author, action="create", summary=summary or "Created the case")
    return case


def _create_placement(
    case: Case,
    data: Mapping[str, Any],
    source_refs: Sequence[SourceRef],
    author: User,
    errors: Errors,
    *,
    prefix: str,
) -> Placement | None:
    linked = _resolve_sources(case, source_refs, errors, prefix=prefix, author=author)
    if errors:
        return None
    result = data["classification"]
    placement = Placement.objects.create(
        case=case,
        answers=data["answers"],
        rung=result.rung,
        economy=result.economy,
        viability=result.viability,
        valid_from=data["valid_from"],
        valid_to=data["valid_to"],
        rationale=data["rationale"],
        author=author,
    )
    placement.sources.set(linked)
    return placement


@reviewed("case_update")
@transaction.atomic
def case_update(
    *,
    case: Case,
    author: User,
    changes: Mapping[str, Any],
    base_revision: int | None,
    summary: str = "",
) -> Case:
    """Change a case's own fields. Refused when the case moved past ``base_revision``."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    cleaned = clean_case(changes, errors, partial=True)
    _check_unique(cleaned, errors, exclude=case.pk)
    _raise_if(errors)
    countries = cleaned.pop("countries", None)
    founded = cleaned.get("founded", case.founded)
    ended = cleaned.get("ended", case.ended)
    if founded is not None and ended is not None and ended < founded:
        raise InvalidInput(
            [FieldError("ended", ended, None, f"ended ({ended}) is before founded ({founded})")]
        )
    for name, value in cleaned.items():
        setattr(case, name, value)
    if countries is not None:
        _set_countries(case, countries)
    _record_revision(case, author=author, action="edit", summary=summary or "Edited the case")
    return case


@reviewed("placement_add")
@transaction.atomic
def placement_add(
    *,
    case: Case,
    author: User,
    answers: Mapping[str, Any],
    valid_from: str | int,
    valid_to: str | int | None = None,
    rationale: str,
    sources: Sequence[SourceRef],
    base_revision: int | None = None,
) -> Placement:
    """Add one contributor's placement of a case for a period, with at least one source."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_placement(
        {
            "answers": answers,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "rationale": rationale,
        },
        errors,
        prefix="",
    )
    _raise_if(errors)
    placement = _create_placement(case, data, sources, author, errors, prefix="")
    _raise_if(errors)
    assert placement is not None
    _record_revision(
        case,
        author=author,
        action="placement_add",
        summary=f"Placed on rung {placement.rung} from {placement.valid_from}",
    )
    return placement


@reviewed("placement_retract")
@transaction.atomic
def placement_retract(*, placement: Placement, author: User) -> Placement:
    """Withdraw a placement (its author, or a moderator). It stays in history."""
    case = _lock(placement.case, base_revision=None)
    _check_may_edit(case, author)
    if placement.author_id != author.pk and not author.is_moderator:
        raise NotAllowed("only its author or a moderator may retract a placement")
    if placement.retracted_at is not None:
        raise InvalidInput([FieldError("placement", placement.pk, None, "already retracted")])
    placement.retracted_at = timezone.now()
    placement.save(update_fields=["retracted_at"])
    _record_revision(
        case,
        author=author,
        action="placement_retract",
        summary=f"Retracted a placement on rung {placement.rung}",
    )
    return placement


@reviewed("source_add")
@transaction.atomic
def source_add(
    *, case: Case, author: User, source: Mapping[str, Any], base_revision: int | None = None
) -> Source:
    """Add a source to a case."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_source(source, errors, prefix="")
    if not errors and case.sources.filter(url=data["url"]).exists():
        errors.append(FieldError("url", data["url"], None, "this case already cites that URL"))
    _raise_if(errors)
    created = Source.objects.create(case=case, added_by=author, **data)
    _record_revision(
        case, author=author, action="source_add", summary=f"Added source {created.title}"
    )
    return created


@reviewed("relation_add")
@transaction.atomic
def relation_add(
    *, case: Case, author: User, relation: Mapping[str, Any], base_revision: int | None = None
) -> Relation:
    """Link a case to another: "case <type> target"."""
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    errors: Errors = []
    data = clean_relation(relation, errors, prefix="")
    target = (
        Case.objects.filter(slug=data.get("target"), archived=False).first() if not errors else None
    )
    if not errors and target is None:
        errors.append(
            FieldError("target", data["target"], None, f"no case has slug {data['target']!r}")
        )
    elif target is not None and target.pk == case.pk:
        errors.append(FieldError("target", data["target"], None, "a case cannot relate to itself"))
    elif (
        target is not None
        and Relation.objects.filter(subject=case, type=data["type"], target=target).exists()
    ):
        errors.append(FieldError("target", data["target"], None, "this relation exists already"))
    _raise_if(errors)
    assert target is not None
    created = Relation.objects.create(subject=case, type=data["type"], target=target)
    _record_revision(
        case, author=author, action="relation_add", summary=f"Linked: {data['type']} {target.slug}"
    )
    return created


RESTORED_FIELDS = EDITABLE_CASE_FIELDS


def _placement_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two placements the same one for a revert."""
    return (
        record.get("author"),
        json.dumps(record.get("answers") or {}, sort_keys=True),
        record.get("valid_from"),
        record.get("valid_to"),
        record.get("rationale"),
        tuple(sorted(record.get("sources") or [])),
    )


def _live_placement_key(placement: Placement) -> tuple[Any, ...]:
    return _placement_key(
        {
            "author": placement.author.username,
            "answers": placement.answers,
            "valid_from": placement.valid_from,
            "valid_to": placement.valid_to,
            "rationale": placement.rationale,
            "sources": [source.url for source in placement.sources.all()],
        }
    )


def _restore(case: Case, record: Mapping[str, Any], *, author: User) -> None:
    """Make the case's fields, sources, placements and relations those of ``record``."""
    errors: Errors = []
    cleaned = clean_case({name: record.get(name) for name in RESTORED_FIELDS}, errors, partial=True)
    _check_unique(cleaned, errors, exclude=case.pk)
    _raise_if(errors)
    countries = cleaned.pop("countries", [])
    for name, value in cleaned.items():
        setattr(case, name, value)
    _set_countries(case, countries)

    wanted_sources = {}
    for source in record.get("sources") or []:
        data = clean_source(source, errors, prefix="")
        if data.get("url"):
            wanted_sources[data["url"]] = data
    _raise_if(errors)
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
    wanted = Counter(_placement_key(record) for record in records)
    now = timezone.now()
    placements = case.placements.select_related("author").prefetch_related("sources")
    for placement in placements.filter(retracted_at__isnull=True).order_by("id"):
        key = _live_placement_key(placement)
        if wanted[key] > 0:
            wanted[key] -= 1
        else:
            placement.retracted_at = now
            placement.save(update_fields=["retracted_at"])
    retracted = list(placements.filter(retracted_at__isnull=False).order_by("-retracted_at"))
    for record in records:
        key = _placement_key(record)
        if wanted[key] <= 0:
            continue
        wanted[key] -= 1
        earlier = next(
            (p for p in retracted if p.retracted_at != now and _live_placement_key(p) == key),
            None,
        )
        if earlier is not None:
            retracted.remove(earlier)
            earlier.retracted_at = None
            earlier.save(update_fields=["retracted_at"])
            continue
        errors: Errors = []
        data = clean_placement(record, errors, prefix="")
        _raise_if(errors)
        placed_by = User.objects.filter(username=record.get("author")).first() or author
        cited = list(record.get("sources") or [])
        _create_placement(case, data, cited, placed_by, errors, prefix="")
        _raise_if(errors)


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
    case = _lock(case, base_revision=base_revision)
    _check_may_edit(case, author)
    target = Revision.objects.filter(case=case, number=revision).first()
    if target is None:
        raise InvalidInput(
            [FieldError("revision", revision, None, f"the case has no revision {revision}")]
        )
    _restore(case, target.snapshot, author=author)
    _record_revision(
        case, author=author, action="revert", summary=summary or f"Reverted to revision {revision}"
    )
    return case


def check_moderator(user: User) -> None:
    """Refuse anyone but an unblocked moderator or admin."""
    if not user.is_moderator or user.blocked_at is not None:
        raise NotAllowed("only moderators may do this")


@transaction.atomic
def case_lock(*, case: Case, moderator: User, locked: bool, note: str = "") -> Case:
    """Lock a case so that only moderators edit it, or unlock it."""
    check_moderator(moderator)
    case = _lock(case, base_revision=None)
    if case.locked != locked:
        case.locked = locked
        _record_revision(
            case,
            author=moderator,
            action="lock" if locked else "unlock",
            summary=note or ("Locked the case" if locked else "Unlocked the case"),
        )
        ModerationAction.objects.create(
            moderator=moderator, action="lock" if locked else "unlock", case=case, note=note[:300]
        )
    return case


@transaction.atomic
def case_archive(*, case: Case, moderator: User, archived: bool, note: str = "") -> Case:
    """Delete a case by archiving it (it stays in the database and its history), or restore it."""
    check_moderator(moderator)
    case = _lock(case, base_revision=None)
    if case.archived != archived:
        case.archived = archived
        action = "archive" if archived else "restore"
        _record_revision(
            case,
            author=moderator,
            action=action,
            summary=note or ("Archived the case" if archived else "Restored the case"),
        )
        ModerationAction.objects.create(
            moderator=moderator, action=action, case=case, note=note[:300]
        )
    return case


@transaction.atomic
def rating_set(*, case: Case, user: User, stars: int) -> Rating:
    """Rate a case from 1 to 5 stars; rating again changes the account's one rating."""
    if user.blocked_at is not None or not user.is_active:
        raise NotAllowed("this account is blocked")
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise InvalidInput(
            [FieldError("stars", stars, [1, 2, 3, 4, 5], "stars must be a whole number 1 to 5")]
        )
    Case.objects.select_for_update().filter(pk=case.pk).first()
    rating, _ = Rating.objects.update_or_create(case=case, user=user, defaults={"stars": stars})
    totals = Rating.objects.filter(case=case).aggregate(count=Count("id"), average=Avg("stars"))
    Case.objects.filter(pk=case.pk).update(
        rating_count=totals["count"], rating_average=totals["average"]
    )
    case.rating_count, case.rating_average = totals["count"], totals["average"]
    return rating


def case_view_record(*, case: Case, day: date | None = None) -> None:
    """Count one view of the case for the day; only the daily total is stored.

    One upsert (SQLite and PostgreSQL both have ON CONFLICT), so concurrent views
    never lose a count.
    """
    day = day or timezone.now().date()
    table = CaseViewDay._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A crash may lose the last few views; a page view need not wait for the
            # disk the way an edit must.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"INSERT INTO {table} (case_id, day, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (case_id, day) DO UPDATE SET count = {table}.count + 1",
            [case.pk, day],
        )
