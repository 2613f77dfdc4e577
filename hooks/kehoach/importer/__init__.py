"""Import a plan from a Word .docx or a text file into a draft Markdown plan (GitHub issue 6).

Pure core like the rest of ``kehoach``: no MkDocs import. The pipeline is
``source`` (read blocks) → ``doc`` (header, title, body) → ``outline`` (items) → facts
(``header``, ``units``, ``cite``, ``targets``, ``signer``, ``tables``) → ``draft`` → ``write``.
It never invents: what it cannot find is left out of the front matter and listed.
"""

from __future__ import annotations

from .draft import Context, Draft, build_draft
from .errors import ImportFailure
from .write import Result, import_file

__all__ = ["Context", "Draft", "ImportFailure", "Result", "build_draft", "import_file"]
