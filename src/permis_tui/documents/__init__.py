"""Pièces justificatives (étape 5): what a file is, how many pages it has, whether it is sound.

- `verdict`: the typed verdict codes and their French sentences (needs only the piece kinds);
- `pdf`: the PDF and image parsing (pypdf and Pillow are imported there only);
- `check`: the cheap checks (size, real type) and the content check's time budget (it
  imports `pdf` when a file is parsed, not before);
- `child`: one check in a fresh child process (the commands);
- `checker`: the app's long-lived checker process.
Each module imports only modules above it in this list: no import circle.
Importing this package loads neither pypdf nor Pillow. Domain core: no Textual here.
"""

from permis_tui.documents.check import (
    ACCEPTED_TYPES,
    CheckRequest,
    ContentChecker,
    check_category,
    check_content,
    check_file,
    sha256_file,
    sniff,
)
from permis_tui.documents.verdict import (
    COPY_PROBLEMS,
    TYPE_NAMES,
    CategoryResult,
    Details,
    Verdict,
    VerdictCode,
    pages_text,
    size_text,
)

__all__ = [
    "ACCEPTED_TYPES",
    "COPY_PROBLEMS",
    "TYPE_NAMES",
    "CategoryResult",
    "CheckRequest",
    "ContentChecker",
    "Details",
    "Verdict",
    "VerdictCode",
    "check_category",
    "check_content",
    "check_file",
    "pages_text",
    "sha256_file",
    "size_text",
    "sniff",
]
