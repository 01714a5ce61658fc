"""Confirmation email and its outbox (no Textual here).

Names are re-exported lazily: smtplib and ssl are not worth importing at startup.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "build_confirmation_email": "confirmation_email",
    "DeliveryResult": "outbox",
    "Outbox": "outbox",
    "MailSettings": "mail_settings",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
