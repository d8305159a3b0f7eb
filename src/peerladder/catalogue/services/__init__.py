"""Every write to the catalogue. Each service runs in one transaction and writes the
case's revision (a snapshot of the whole case after the change) or the moderator's
audit row in that same transaction, so history can never miss a change.

- :mod:`.cases`: create a case; change its fields; add sources and relations.
- :mod:`.placements`: add and retract placements.
- :mod:`.translations`: a case's text in other languages.
- :mod:`.restore`: revert a case to an earlier revision.
- :mod:`.review`: hold a new account's edit for review (``@reviewed``).
- :mod:`.moderation`: lock, archive, block, roll back; approve or reject held edits.
- :mod:`.engagement`: ratings and page views.
- :mod:`.view_counts`: page views counted in memory, written in batches.
- :mod:`.writing`: what every write shares (row lock, permission, revision).

Callers use this package's names (``services.case_create``); incoming data is
checked by ``catalogue.validation``, the one check of an incoming case.
"""

from peerladder.catalogue.services.cases import case_create, case_update, relation_add, source_add
from peerladder.catalogue.services.engagement import case_view_record, rating_set
from peerladder.catalogue.services.moderation import (
    account_block,
    account_rollback,
    case_archive,
    case_lock,
    pending_approve,
    pending_reject,
)
from peerladder.catalogue.services.placements import placement_add, placement_retract
from peerladder.catalogue.services.restore import case_revert
from peerladder.catalogue.services.review import HeldForReview, case_of, needs_review
from peerladder.catalogue.services.translations import speaks_for_editors, translation_set
from peerladder.catalogue.services.view_counts import case_view_count, case_views_add
from peerladder.catalogue.services.writing import check_moderator

__all__ = [
    "HeldForReview",
    "account_block",
    "account_rollback",
    "case_archive",
    "case_create",
    "case_lock",
    "case_of",
    "case_revert",
    "case_update",
    "case_view_count",
    "case_view_record",
    "case_views_add",
    "check_moderator",
    "needs_review",
    "pending_approve",
    "pending_reject",
    "placement_add",
    "placement_retract",
    "rating_set",
    "relation_add",
    "source_add",
    "speaks_for_editors",
    "translation_set",
]
