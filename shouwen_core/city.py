"""A process adopts its catalog: the city's facts go into the wording (shouwen_core.replies) and
the catalog's published phones are public for masking (shouwen_core.pii). Done wherever a process
loads the catalog it answers with: Consultant (actions, ./shouwen ask) and LiveCatalog (the Rasa
server's linker, the gateway)."""

from __future__ import annotations

from .catalog.model import Catalog
from .pii import declare_public
from .replies import configure

__all__ = ["adopt"]


def adopt(catalog: Catalog) -> None:
    configure(catalog.settings)
    declare_public(catalog.public_phones())
