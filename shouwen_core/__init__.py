"""Shouwen (首问): the plain-Python core shared by the Rasa components, the actions and the gateway.

It holds the catalog model and its importers, the matter linker, the guidance card and
the referral, with no pydantic and no Rasa imports, so that it imports in both venvs.
"""

__version__ = "0.1.0"
