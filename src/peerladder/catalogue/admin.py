"""The Django admin: for looking things up. Catalogue changes belong in the site's
own forms (they go through the services and keep history), so these views are
read-only apart from moderation flags."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CountryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseCountry
    extra = 0
    can_delete = False
    readonly_fields = ("code", "position")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = (
        "name", "slug", "standing_rung", "standing_economy", "contested", "sector",
        "org_form", "founded", "revision_number", "locked", "archived",
    )  # fmt: skip
    list_filter = ("standing_rung", "standing_economy", "contested", "sector", "org_form",
                   "locked", "archived")  # fmt: skip
    search_fields = ("name", "slug", "summary", "wikidata", "website")
    inlines = [CountryInline]


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "publisher", "url", "published", "accessed")
    list_filter = ("publisher",)
    search_fields = ("title", "url", "publisher", "case__name")
    list_select_related = ("case",)


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("case", "rung", "economy", "viability", "valid_from", "valid_to", "author",
                    "created_at", "retracted_at")  # fmt: skip
    list_filter = ("rung", "economy", "viability")
    search_fields = ("case__name", "author__username", "rationale")
    list_select_related = ("case", "author")


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ("subject", "type", "target", "created_at")
    list_filter = ("type",)
    search_fields = ("subject__name", "target__name")
    list_select_related = ("subject", "target")


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "action", "author", "created_at", "summary")
    list_filter = ("action",)
    search_fields = ("case__name", "author__username", "summary")
    list_select_related = ("case", "author")


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("case", "user", "stars", "updated_at")
    list_filter = ("stars",)
    search_fields = ("case__name", "user__username")
    list_select_related = ("case", "user")


@admin.register(CaseViewDay)
class CaseViewDayAdmin(ReadOnlyAdmin):
    list_display = ("case", "day", "count")
    date_hierarchy = "day"
    search_fields = ("case__name",)
    list_select_related = ("case",)


@admin.register(PendingEdit)
class PendingEditAdmin(ReadOnlyAdmin):
    list_display = ("action", "slug", "author", "state", "created_at", "reviewed_by")
    list_filter = ("state", "action")
    search_fields = ("slug", "author__username", "summary")
    list_select_related = ("author", "reviewed_by")


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    list_display = ("action", "moderator", "case", "account", "created_at", "note")
    list_filter = ("action",)
    search_fields = ("moderator__username", "account__username", "case__name", "note")
    list_select_related = ("moderator", "case", "account")
