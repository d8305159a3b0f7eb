"""The catalogue's tables: fields and constraints only. Every write goes through services."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from peerladder.catalogue.record import LIMITS
from peerladder.catalogue.vocabulary import (
    CASE_LANGUAGES,
    ORG_FORMS,
    PERIOD_PATTERN,
    PRODUCTIONS,
    RELATION_TYPES,
    SECTORS,
    SLUG_PATTERN,
    WIKIDATA_PATTERN,
)
from peerladder.catalogue.vocabulary_labels import term_choices

YEAR = [MinValueValidator(1000), MaxValueValidator(2200)]


class Case(models.Model):
    """A real organisation, platform or project, with its standing on the ladder."""

    slug = models.CharField(
        max_length=80, unique=True, validators=[RegexValidator(SLUG_PATTERN.pattern)]
    )
    name = models.CharField(max_length=200)
    # The name as lists sort it (case and accents do not count: text.sort_key), kept by
    # the services beside the name; lists order by it, through the indexes below.
    sort_name = models.CharField(max_length=200, default="", editable=False)
    summary = models.CharField(max_length=500)
    description = models.TextField(blank=True, help_text="Markdown")
    website = models.URLField(max_length=500, blank=True)
    wikidata = models.CharField(
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(WIKIDATA_PATTERN.pattern)],
    )
    sector = models.CharField(max_length=16, choices=term_choices(SECTORS), default=SECTORS.default)
    org_form = models.CharField(
        max_length=16, choices=term_choices(ORG_FORMS), default=ORG_FORMS.default
    )
    production = models.CharField(
        max_length=16, choices=term_choices(PRODUCTIONS), null=True, blank=True, default=None
    )
    founded = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    ended = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR)
    tags = models.JSONField(default=list, blank=True)

    # The standing placement, kept by the services from ladder.consensus() for filtering.
    standing_rung = models.PositiveSmallIntegerField(null=True, blank=True)
    standing_economy = models.CharField(max_length=16, null=True, blank=True)
    standing_viability = models.CharField(max_length=16, null=True, blank=True)
    agreement = models.FloatField(null=True, blank=True)
    contested = models.BooleanField(default=False)
    placement_count = models.PositiveIntegerField(default=0)

    revision_number = models.PositiveIntegerField(default=0)
    # Kept by services.rating_set so pages and lists need no aggregate query.
    rating_count = models.PositiveIntegerField(default=0)
    rating_average = models.FloatField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            # Partial indexes over live cases: the list's "WHERE NOT archived ORDER BY
            # sort_name, id" (optionally with a rung or sector) reads them in order, no sort.
            models.Index(
                fields=["sort_name", "id"], condition=Q(archived=False), name="case_live_name"
            ),
            models.Index(
                fields=["standing_rung", "sort_name", "id"],
                condition=Q(archived=False),
                name="case_live_rung",
            ),
            models.Index(
                fields=["sector", "sort_name", "id"],
                condition=Q(archived=False),
                name="case_live_sector",
            ),
            models.Index(fields=["standing_economy"], name="case_economy"),
            models.Index(fields=["founded"], name="case_founded"),
            models.Index(fields=["contested"], name="case_contested"),
            models.Index(fields=["updated_at"], name="case_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True)
                | Q(founded__isnull=True)
                | Q(ended__gte=models.F("founded")),
                name="case_ended_not_before_founded",
            ),
            models.CheckConstraint(
                condition=Q(standing_rung__isnull=True)
                | Q(standing_rung__gte=1, standing_rung__lte=11),
                name="case_standing_rung_on_ladder",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/cases/{self.slug}"


class FormerSlug(models.Model):
    """An address a case had before its slug changed: it keeps redirecting to the case."""

    slug = models.CharField(max_length=80, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="former_slugs")
    moved_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.slug} → {self.case.slug}"


class CaseTranslation(models.Model):
    """A case's name, summary and description in one language other than English.

    A field left empty is not translated (readers see the English text).
    ``editorial`` marks a translation the project's editors wrote, as opposed to one
    by a contributor. Written only by the services, as part of a case revision.
    """

    # No index of its own: the unique (case, language) index serves lookups by case.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="translations", db_index=False
    )
    language = models.CharField(max_length=8, choices=CASE_LANGUAGES.choices)
    name = models.CharField(max_length=LIMITS.name, blank=True)
    summary = models.CharField(max_length=LIMITS.summary, blank=True)
    description = models.TextField(blank=True, help_text="Markdown")
    editorial = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "language"], name="case_translation_once_per_language"
            ),
        ]
        # The language facet and filter: which cases have text in a language.
        indexes = [models.Index(fields=["language", "case"], name="case_translation_language")]

    def __str__(self) -> str:
        return f"{self.language} text of case {self.case_id}"


class CaseCountry(models.Model):
    """One ISO 3166-1 alpha-2 country of a case (a table, so facets and filters use an index)."""

    # No index of its own: the unique (case, code) index serves lookups by case.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="country_rows", db_index=False
    )
    code = models.CharField(max_length=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "code"], name="case_country_once"),
        ]
        indexes = [models.Index(fields=["code", "case"])]

    def __str__(self) -> str:
        return self.code


class Source(models.Model):
    """A public document that supports what the catalogue says of a case."""

    # No index of its own: the unique (case, url) index serves lookups by case.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources", db_index=False)
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    accessed = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "url"], name="source_url_once_per_case")
        ]

    def __str__(self) -> str:
        return self.title


class Placement(models.Model):
    """One contributor's answers for a case over a period, with the rung they give."""

    # Lookups by case or author use the (case, retracted_at) and (author, created_at)
    # indexes below; single-column ones would only slow every insert.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="placements", db_index=False
    )
    answers = models.JSONField()
    rung = models.PositiveSmallIntegerField()
    economy = models.CharField(max_length=16, null=True, blank=True)
    viability = models.CharField(max_length=16, null=True, blank=True)
    valid_from = models.CharField(
        max_length=10,
        validators=[RegexValidator(PERIOD_PATTERN.pattern)],
        help_text="YYYY or YYYY-MM-DD",
    )
    valid_to = models.CharField(
        max_length=10,
        null=True,
        blank=True,
        validators=[RegexValidator(PERIOD_PATTERN.pattern)],
        help_text="YYYY or YYYY-MM-DD; empty while it still holds",
    )
    rationale = models.TextField()
    sources = models.ManyToManyField(Source, related_name="placements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="placements",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [
            models.Index(fields=["case", "retracted_at"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["rung"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rung__gte=1, rung__lte=11), name="placement_rung_on_ladder"
            ),
            # Periods are ISO strings of one of two lengths, so string order is date order.
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="placement_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} on rung {self.rung} from {self.valid_from}"


class Relation(models.Model):
    """A typed link between two cases: "subject <type> target"."""

    subject = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_out")
    type = models.CharField(max_length=16, choices=term_choices(RELATION_TYPES))
    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="relations_in")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type", "target__name"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "type", "target"], name="relation_once"),
            models.CheckConstraint(
                condition=~Q(subject=models.F("target")), name="relation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.type} {self.target_id}"


class Revision(models.Model):
    """An immutable record of one change to a case, with a snapshot of the case after it."""

    # Lookups by case or author use the unique (case, number) and the (author,
    # created_at) indexes; single-column ones would only slow every insert.
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=32)
    summary = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"], name="revision_number_once_per_case"
            ),
        ]
        indexes = [
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of case {self.case_id}"


class Rating(models.Model):
    """One account's 1-5 rating of a case; changeable, never more than one per account."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="rating_once_per_account"),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars} for case {self.case_id}"


class CaseViewDay(models.Model):
    """How often a case page was viewed on one day: a counter, no personal data."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "day"], name="case_view_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.count} views of case {self.case_id} on {self.day}"


class PendingEdit(models.Model):
    """An edit by a new account, held until a moderator approves or rejects it.

    ``arguments`` are the service call to replay on approval; ``preview`` is the
    case record the edit would have produced when it was made.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("edit state", "Pending")
        APPROVED = "approved", pgettext_lazy("edit state", "Approved")
        REJECTED = "rejected", pgettext_lazy("edit state", "Rejected")

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="pending_edits"
    )
    slug = models.CharField(max_length=80, blank=True, help_text="The case's slug when proposed")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_edits"
    )
    action = models.CharField(max_length=32)
    summary = models.CharField(max_length=300, blank=True)
    arguments = models.JSONField(encoder=DjangoJSONEncoder)
    base_revision = models.PositiveIntegerField(null=True, blank=True)
    preview = models.JSONField(encoder=DjangoJSONEncoder)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} by {self.author_id} ({self.state})"


class ModerationAction(models.Model):
    """The audit row of one moderator action (lock, archive, block, rollback, review)."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id}"
