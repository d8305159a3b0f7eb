"""factory_boy factories for the catalogue; built through the services where it matters."""

from __future__ import annotations

from typing import Any

import factory

from peerladder.accounts.models import User
from peerladder.catalogue import services
from peerladder.catalogue.models import Case

WIKIPEDIA_ANSWERS = {
    "directed_by": "peers",
    "value": "use",
    "producers": "group",
    "monetization": "none",
    "output_license": "commons",
}
LINUX_ANSWERS = {
    "directed_by": "peers",
    "value": "use",
    "producers": "group",
    "monetization": "commons_ecology",
    "output_license": "commons",
}
IKEA_ANSWERS = {"directed_by": "firm", "participant_role": "performs_step"}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"contributor{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


def make_case(
    *,
    author: User | None = None,
    slug: str | None = None,
    answers: dict[str, Any] | None = None,
    valid_from: str = "2001",
    **fields: Any,
) -> Case:
    """A case with one source and one placement, created by ``case_create``."""
    author = author or UserFactory()
    slug = slug or f"case-{Case.objects.count() + 1}-{author.pk}"
    url = f"https://example.org/{slug}"
    return services.case_create(
        author=author,
        fields={
            "slug": slug,
            "name": fields.pop("name", slug.replace("-", " ").title()),
            "summary": fields.pop("summary", f"A test case called {slug}."),
            "sector": fields.pop("sector", "knowledge"),
            "org_form": fields.pop("org_form", "nonprofit"),
            **fields,
        },
        sources=[{"url": url, "title": f"About {slug}"}],
        placements=[
            {
                "answers": answers or WIKIPEDIA_ANSWERS,
                "valid_from": valid_from,
                "rationale": "Peers write it together.",
                "sources": [url],
            }
        ],
    )
