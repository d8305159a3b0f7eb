"""The labels of the catalogue's controlled lists, for ``makemessages``: generated, do
not edit.

Written by ``python -m peerladder.catalogue.vocabulary_labels`` (``make ladder-messages``)
from ``catalogue/vocabulary.py``; the context of each label is its term's key.
"""

from django.utils.translation import pgettext_lazy

VOCABULARY_STRINGS = (
    pgettext_lazy("sector.software", "Software and internet infrastructure"),
    pgettext_lazy("sector.knowledge", "Knowledge, education and science"),
    pgettext_lazy("sector.media", "Media and publishing"),
    pgettext_lazy("sector.commerce", "Retail and marketplaces"),
    pgettext_lazy("sector.travel", "Lodging and travel"),
    pgettext_lazy("sector.transport", "Transport and delivery"),
    pgettext_lazy("sector.manufacturing", "Manufacturing and hardware"),
    pgettext_lazy("sector.food", "Food and agriculture"),
    pgettext_lazy("sector.finance", "Finance"),
    pgettext_lazy("sector.energy", "Energy"),
    pgettext_lazy("sector.housing", "Housing"),
    pgettext_lazy("sector.health", "Health and care"),
    pgettext_lazy("sector.telecom", "Telecommunications"),
    pgettext_lazy("sector.design", "Design, fashion and crafts"),
    pgettext_lazy("sector.work", "Work and freelancing"),
    pgettext_lazy("sector.other", "Other"),
    pgettext_lazy("org_form.company", "Company"),
    pgettext_lazy("org_form.nonprofit", "Non-profit"),
    pgettext_lazy("org_form.cooperative", "Cooperative"),
    pgettext_lazy("org_form.community", "Community without legal entity"),
    pgettext_lazy("org_form.public", "Public body"),
    pgettext_lazy("org_form.other", "Other"),
    pgettext_lazy("production.material", "Material: physical goods or services (food, energy, lodging, things)"),
    pgettext_lazy("production.immaterial", "Immaterial: information, software, media, knowledge"),
    pgettext_lazy("production.both", "Both, in substantial measure"),
    pgettext_lazy("type.platform_for", "is a platform for"),
    pgettext_lazy("type.fork_of", "is a fork of"),
    pgettext_lazy("type.successor_of", "is the successor of"),
    pgettext_lazy("type.governed_by", "is governed by"),
    pgettext_lazy("type.spun_out_of", "was spun out of"),
)
