"""The "Online Retail" invoice lines (UCI, Chen, Sain and Guo 2012) as StockDesk movements.

One line of the file is one row to import, and one row becomes at most one posting; the line's
row number (the header is row 1) with the file's content hash is its idempotency key, so
importing the same file again posts nothing new, and the 5,268 exact duplicate lines are
imported as the separate lines they are.

Mapping, in the order the rules are tried:

| source line                                     | StockDesk row                                          |
| ----------------------------------------------- | ------------------------------------------------------ |
| StockCode POST, DOT, M, C2, D, S, B, CRUK,      | refused: "not a stock item" (postage, discounts,       |
| BANK CHARGES, AMAZONFEE, PADS, gift_*           | fees, manual lines and gift vouchers move no goods)    |
| Quantity 0 or not a whole number; InvoiceDate   | refused, with the reason                               |
| or UnitPrice unreadable                         |                                                        |
| InvoiceNo starting with C (a cancellation)      | `return` of abs(Quantity) from @CUSTOMER into --at LOC |
| UnitPrice 0, Quantity < 0                       | `adjust` out, reason WRITE_OFF, note = Description     |
| UnitPrice 0, Quantity > 0                       | `adjust` in, reason FOUND, note = Description          |
| Quantity > 0 (an ordinary invoice line)         | `sell` of Quantity from --at LOC to @CUSTOMER          |
| Quantity < 0 at a non-zero price, not cancelled | refused (no such line in the data set)                 |

- InvoiceNo becomes the posting's reference; InvoiceDate (YYYY-MM-DD HH:MM:SS, or the UCI
  original's M/D/YYYY H:MM) becomes the posting's and the movements' timestamp, so the ledger
  keeps the historical dates.
- StockCode becomes the SKU, upper-cased: the lower-case suffixes (85123a) name the same goods as
  their upper-case twins (85123A, same description), so they are one item.
- CustomerID and Country are not stock information and are not imported.
- With --create-products, a StockCode the catalogue does not know becomes a product named by its
  most frequent Description (the code itself when it never has one), priced at the last non-zero
  UnitPrice of an ordinary sale, cost 0, not lot or serial tracked.
- With --opening-balance, a first pass over the file replays each item's quantity in file order;
  the deepest the running total goes below zero (less what is already available at LOC) is posted
  as one OPENING adjustment per item at the start of the file's first day, so the whole year
  replays without a refusal for lack of stock.

On the whole file (541,909 lines, --create-products --opening-balance): 538,959 rows posted
(527,758 sales, 8,704 returns, 1,336 write-offs, 1,161 write-ups) after 3,942 products and 3,885
opening balances were created; 2,950 lines refused, all "not a stock item" (POST 1,256, DOT 710,
M/m 572, C2 144, D 77, S 63, BANK CHARGES 37, AMAZONFEE 34, gift vouchers 34, CRUK 16, PADS 4,
B 3). Without opening balances, 500,387 lines are refused for lack of stock.

This module is pure: it turns the cells of one line into an `ImportRow` (or raises `RowRefused`);
the importer in services/ checks the row against the catalogue and the stock and writes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice")
"""The columns the mapping reads; CustomerID and Country may be present and are ignored."""

NON_STOCK_CODES = frozenset({"POST", "DOT", "M", "C2", "D", "S", "B", "CRUK", "BANK CHARGES", "AMAZONFEE", "PADS"})
NON_STOCK_PREFIXES = ("GIFT_",)
NOT_A_STOCK_ITEM = "not a stock item"

INBOUND_KINDS = frozenset({"receive", "return"})
KINDS = ("receive", "sell", "ship", "return", "adjust", "scrap")


class RowRefused(Exception):
    """One row cannot be imported; the message says why, in the user's words."""

    @property
    def reason(self) -> str:
        return str(self.args[0])


@dataclass(slots=True)
class ImportRow:
    """One row of any import layout, as a movement request (not yet checked against the books).

    Not frozen: half a million of them are made per import, and a frozen dataclass is 3x slower to build.
    """

    row: int
    kind: str
    """receive, sell, ship, return, adjust or scrap."""
    sku: str
    qty: int
    """Units moved, always positive; `inbound` says which way an adjustment goes."""
    location: str
    posted_at: datetime | None = None
    """None: now, at import time."""
    inbound: bool = False
    lot: str | None = None
    expiry: date | None = None
    serials: tuple[str, ...] = ()
    ref: str | None = None
    reason: str | None = None
    note: str | None = None
    key: str | None = None
    name: str | None = None
    """What the source calls the item (used to create unknown products)."""
    price: Decimal | None = None

    @property
    def delta(self) -> int:
        """The change to the location's available units: + for stock coming in, - for stock leaving."""
        comes_in = self.kind in INBOUND_KINDS or (self.kind == "adjust" and self.inbound)
        return self.qty if comes_in else -self.qty

    def fingerprint(self) -> str:
        """What the row asks for, hashed: a key imported again must ask for the same."""
        body = "\x1f".join(
            "" if v is None else str(v)
            for v in (
                self.kind,
                self.sku,
                self.qty,
                self.inbound,
                self.location,
                self.lot,
                self.expiry,
                " ".join(self.serials),
                self.ref,
                self.reason,
                self.note,
                self.posted_at,
            )
        )
        return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


# -- cells --------------------------------------------------------------------------------------


def text(value: object) -> str:
    """A cell as text: spreadsheets give numbers as floats (12345.0 is the code '12345')."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def whole_number(value: object, *, what: str = "Quantity") -> int:
    """A signed whole number from a cell: '6', '-12', 6.0; refuses '2.5', 'six' and the empty cell."""
    if isinstance(value, bool):
        raise RowRefused(f"{what} must be a whole number; got {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise RowRefused(f"{what} must be a whole number of units; {value:g} is not.")
    raw = text(value)
    body = raw[1:] if raw[:1] in "+-" else raw
    if body.isdigit():
        return int(raw)
    if not raw:
        raise RowRefused(f"{what} is missing.")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise RowRefused(f"{what} must be a whole number of units; '{raw}' is not.") from None
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    raise RowRefused(f"{what} must be a whole number of units; '{raw}' is not.")


def amount(value: object, *, what: str) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raw = text(value)
    if raw in _ZEROS:
        return _ZERO
    try:
        number = Decimal(raw or "0")
    except InvalidOperation:
        raise RowRefused(f"{what} must be a number such as 2.55; '{raw}' is not.") from None
    if not number.is_finite():
        raise RowRefused(f"{what} must be a number such as 2.55; '{raw}' is not.")
    return number


_ZERO = Decimal(0)
_ZEROS = frozenset({"0", "0.0", "0.00", ""})
_US_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")


def timestamp(value: object, *, what: str = "Date") -> datetime:
    """ISO date or date-time (a spreadsheet's own dates too); the UCI original's 12/1/2010 8:26 as well."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else _naive_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raw = text(value)
    if not raw:
        raise RowRefused(f"{what} is missing.")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        for fmt in _US_FORMATS:
            try:
                return datetime.strptime(raw, fmt)
            except ValueError:
                continue
        raise RowRefused(f"{what} must be written YYYY-MM-DD or YYYY-MM-DD HH:MM; '{raw}' is not.") from None
    return parsed if parsed.tzinfo is None else _naive_utc(parsed)


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def is_stock_item(code: str) -> bool:
    upper = code.strip().upper()
    return bool(upper) and upper not in NON_STOCK_CODES and not upper.startswith(NON_STOCK_PREFIXES)


# -- the mapping --------------------------------------------------------------------------------


def column_positions(header: Sequence[str]) -> dict[str, int]:
    """Where each needed column is; raises RowRefused naming the missing ones."""
    found = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [c for c in COLUMNS if c.lower() not in found]
    if missing:
        raise RowRefused(
            f"This is not an Online Retail file: the column(s) {', '.join(missing)} are missing "
            f"(expected {', '.join(COLUMNS)})."
        )
    return {c: found[c.lower()] for c in COLUMNS}


def map_line(row: int, cells: Mapping[str, object], location: str) -> ImportRow:
    """One invoice line (cells by column name) as an ImportRow at `location`, or RowRefused."""
    return map_values(row, *(cells[c] for c in COLUMNS), location=location)


def map_values(
    row: int,
    invoice_no: object,
    stock_code: object,
    description: object,
    quantity: object,
    invoice_date: object,
    unit_price: object,
    *,
    location: str,
) -> ImportRow:
    """One invoice line as an ImportRow at `location`, or RowRefused (see the module docstring)."""
    code = text(stock_code)
    if not is_stock_item(code):
        raise RowRefused(NOT_A_STOCK_ITEM)
    sku = code.upper()
    invoice = text(invoice_no)
    name = text(description) or None
    qty = whole_number(quantity)
    if qty == 0:
        raise RowRefused("Quantity is zero: nothing moves.")
    posted_at = timestamp(invoice_date, what="InvoiceDate")
    price = amount(unit_price, what="UnitPrice")
    ref = invoice or None
    if invoice[:1] in ("C", "c"):
        return ImportRow(row, "return", sku, abs(qty), location, posted_at, ref=ref, name=name)
    if not price:
        inbound = qty > 0
        reason = "FOUND" if inbound else "WRITE_OFF"
        return ImportRow(
            row, "adjust", sku, abs(qty), location, posted_at, inbound, ref=ref, reason=reason, note=name, name=name
        )
    if qty < 0:
        raise RowRefused(f"Negative quantity {qty} on invoice {invoice}, which is not a cancellation.")
    if price < 0:
        raise RowRefused(f"Negative UnitPrice {price} on a sale.")
    return ImportRow(row, "sell", sku, qty, location, posted_at, ref=ref, name=name, price=price)
