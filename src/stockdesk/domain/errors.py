"""Typed errors whose text is written for the person at the desk, not for a developer.

Every refusal raises one of these before anything is written (or inside the transaction that
is then rolled back), so a refused operation never changes the books.
"""


class StockDeskError(Exception):
    """A refusal with a message that says what was wrong and what to do."""


class NotFound(StockDeskError):
    """An SKU, barcode, location, lot, serial or document that does not exist."""


class InvalidInput(StockDeskError):
    """A value of the wrong shape: zero or negative quantity, a bad date, a malformed file."""


class InsufficientStock(StockDeskError):
    """More was asked for than the books hold at that place."""


class SerialConflict(StockDeskError):
    """A serial unit is not where the operation needs it to be."""


class ExpiredLot(StockDeskError):
    """A lot past its expiry date may not be received, reserved or sold."""


class InvalidState(StockDeskError):
    """A document (transfer, count) is not in a state that allows this step."""


class PermissionDenied(StockDeskError):
    """The signed-in user's role does not allow this operation."""


class DuplicateKey(StockDeskError):
    """An idempotency key was reused for a different request."""


class AlreadyExists(StockDeskError):
    """A code, SKU, barcode or lot number that must be unique is taken."""


class CannotConnect(StockDeskError):
    """The database could not be reached or opened; the message says why in plain words."""


class PasswordRefused(CannotConnect):
    """The server wants a password, or another one: the desktop asks for it instead of giving up."""


class SchemaMismatch(StockDeskError):
    """The database's schema is one this version must not touch: newer, unknown, or not StockDesk's."""
