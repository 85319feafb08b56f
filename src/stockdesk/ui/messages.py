"""Errors as the person at the desk reads them: the one place exceptions become text."""

from __future__ import annotations

import logging

from ..domain.errors import StockDeskError

log = logging.getLogger(__name__)


def user_message(error: BaseException) -> str:
    """A refusal's own words; anything unexpected says that nothing was saved and where to look."""
    if isinstance(error, StockDeskError):
        return str(error)
    if type(error).__name__ == "WriteConflict":
        return "Another desktop changed the same thing at the same moment. Nothing was saved; try again."
    if type(error).__name__ in {"OperationalError", "InterfaceError"}:
        return "The database did not answer. Nothing was saved; check the connection and try again."
    log.error("unexpected error", exc_info=error)
    return f"Something unexpected went wrong ({type(error).__name__}). Nothing was saved; try again."
