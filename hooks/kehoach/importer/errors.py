"""The one exception of the importer: bad input, with a message for the user."""

from __future__ import annotations


class ImportFailure(Exception):
    """Input that cannot become a draft. ``str(exc)`` is a Vietnamese message shown as is."""
