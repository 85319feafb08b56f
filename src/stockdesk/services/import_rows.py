"""Reading import files (CSV, CSV.GZ, XLSX) and turning their lines into rows to import.

A file is read twice, streaming: the first pass checks that the whole file can be read (so a
malformed file is refused before anything is written), hashes its content (the row keys derive
from it) and collects what the import needs up front; the second pass imports.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import online_retail
from ..domain.errors import InvalidInput
from ..domain.online_retail import KINDS, ImportRow, RowRefused, text, timestamp, whole_number

Cells = Sequence[object]

_READ_ERRORS = (UnicodeDecodeError, csv.Error, OSError, EOFError, ValueError, zlib.error)
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class Table:
    """A readable file: its header and its rows, numbered as a spreadsheet shows them (header = row 1)."""

    path: Path
    format: str
    header: list[str]
    digest: str = ""
    rows_read: int = 0
    _hash: object = field(default=None, repr=False)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(row number, cells) of every data row; blank rows are left out. Also hashes the content."""
        digest = hashlib.sha256()
        count = 0
        try:
            source = _xlsx_rows(self.path) if self.format == "xlsx" else _csv_rows(self.path, self.format)
            next(source)  # the header
            plain = self.format != "xlsx"  # csv cells are already text
            for number, cells in enumerate(source, start=2):
                if plain:
                    if not any(cells):
                        continue
                    line = "\x1f".join(cells)
                else:
                    if not any(c not in ("", None) for c in cells):
                        continue
                    line = "\x1f".join(map(text, cells))
                digest.update(line.encode("utf-8", "surrogatepass") + b"\x1e")
                count += 1
                yield number, cells
        except _READ_ERRORS as broken:
            raise InvalidInput(f"{self.path.name} cannot be read as a {self.format.upper()} file: {broken}.") from None
        self.digest = digest.hexdigest()
        self.rows_read = count


def open_table(path: str | Path) -> Table:
    """The file's header, or InvalidInput when it is not a CSV, CSV.GZ or XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}.")
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic.startswith(_ZIP_MAGIC) or magic.startswith(_OLE_MAGIC):
        fmt = "xlsx"
    elif magic.startswith(_GZIP_MAGIC):
        fmt = "csv.gz"
    else:
        fmt = "csv"
    try:
        source = _xlsx_rows(path) if fmt == "xlsx" else _csv_rows(path, fmt)
        header = next(source, None)
        if hasattr(source, "close"):
            source.close()
    except _READ_ERRORS as broken:
        raise InvalidInput(f"{path.name} is not a CSV or XLSX file this program can read ({broken}).") from None
    if not header or not any(text(c) for c in header):
        raise InvalidInput(f"{path.name} is empty: the first row must name the columns.")
    return Table(path, fmt, [text(c) for c in header])


def _csv_rows(path: Path, fmt: str) -> Iterator[list[object]]:
    with gzip.open(path, "rb") if fmt == "csv.gz" else path.open("rb") as raw:
        head = raw.peek(4096)[:4096] if hasattr(raw, "peek") else b""
        if b"\x00" in head:
            raise ValueError("it holds binary data")
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        first = stream.readline()
        delimiter = max(",;\t", key=first.count) if first else ","
        yield from csv.reader(_chain(first, stream), delimiter=delimiter)


def _chain(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except CalamineError as broken:
        raise ValueError(str(broken)) from None
    yield from rows


def columns(header: Sequence[str], required: Sequence[str], optional: Sequence[str], what: str) -> dict[str, int]:
    """Column name (lower case) -> position; InvalidInput naming the missing columns."""
    found: dict[str, int] = {}
    for i, name in enumerate(header):
        found.setdefault(name.strip().lower(), i)
    missing = [c for c in required if c not in found]
    if missing:
        raise InvalidInput(
            f"The file is missing the column(s) {', '.join(missing)}. A {what} file needs the columns "
            f"{', '.join(required)}" + (f" and may have {', '.join(optional)}." if optional else ".")
        )
    return found


def _cell(cells: Cells, where: int | None) -> object:
    if where is None or where >= len(cells):
        return ""
    return cells[where]


# -- the stockdesk movement layout --------------------------------------------------------------

STOCKDESK_REQUIRED = ("date", "kind", "sku", "qty")
STOCKDESK_OPTIONAL = ("location", "lot", "expiry", "serial", "ref", "reason", "note", "key")
_SERIAL_SPLIT = re.compile(r"[\s,;]+")


def stockdesk_mapper(header: Sequence[str], default_location: str | None) -> Callable[[int, Cells], ImportRow]:
    """Rows of our own layout: date, kind, sku, qty, location, lot, expiry, serial, ref, reason, note, key."""
    required = STOCKDESK_REQUIRED if default_location else (*STOCKDESK_REQUIRED, "location")
    found = columns(header, required, STOCKDESK_OPTIONAL, "StockDesk movements")
    at = {name: found.get(name) for name in (*STOCKDESK_REQUIRED, *STOCKDESK_OPTIONAL)}
    width = len(header)

    def get(cells: Cells, name: str) -> str:
        return text(_cell(cells, at[name]))

    def mapper(row: int, cells: Cells) -> ImportRow:
        if len(cells) > width and any(text(c) for c in cells[width:]):
            raise RowRefused(f"The row has {len(cells)} values but the header names {width} columns.")
        kind = get(cells, "kind").lower()
        if kind not in KINDS:
            raise RowRefused(f"Kind must be one of {', '.join(KINDS)}; '{get(cells, 'kind')}' is not.")
        sku = get(cells, "sku")
        if not sku:
            raise RowRefused("SKU is missing.")
        quantity = whole_number(_cell(cells, at["qty"]), what="Quantity")
        if kind == "adjust":
            if quantity == 0:
                raise RowRefused("An adjustment's quantity is the change (+ found, - lost); it cannot be zero.")
        elif quantity <= 0:
            raise RowRefused(f"Quantity must be greater than zero; got {quantity}.")
        raw_date = _cell(cells, at["date"])
        posted_at = timestamp(raw_date, what="Date") if text(raw_date) else None
        location = get(cells, "location") or default_location or ""
        if not location:
            raise RowRefused("Location is missing (or give --at for rows without one).")
        raw_expiry = _cell(cells, at["expiry"])
        expiry = timestamp(raw_expiry, what="Expiry date").date() if text(raw_expiry) else None
        serial_text = get(cells, "serial")
        serials = tuple(s for s in _SERIAL_SPLIT.split(serial_text) if s) if serial_text else ()
        ref = get(cells, "ref") or None
        reason = get(cells, "reason").upper() or None
        if kind == "ship" and not ref:
            raise RowRefused("A shipment needs the order reference (ref).")
        if kind == "adjust" and not reason:
            raise RowRefused("An adjustment needs a reason code (reason), such as DAMAGED or FOUND.")
        key = get(cells, "key") or None
        for value, what, limit in ((ref, "Reference", 200), (key, "Key", 200), (sku, "SKU", 64)):
            if value and len(value) > limit:
                raise RowRefused(f"{what} is longer than {limit} characters: '{value[:20]}...'.")
        return ImportRow(
            row=row,
            kind=kind,
            sku=sku,
            qty=abs(quantity),
            inbound=quantity > 0,
            location=location,
            posted_at=posted_at,
            lot=get(cells, "lot") or None,
            expiry=expiry,
            serials=serials,
            ref=ref,
            reason=reason,
            note=get(cells, "note")[:1000] or None,
            key=key,
        )

    return mapper


def online_retail_mapper(header: Sequence[str], location: str | None) -> Callable[[int, Cells], ImportRow]:
    """Rows of the Online Retail file (see domain/online_retail.py for the mapping)."""
    try:
        positions = online_retail.column_positions(header)
    except RowRefused as wrong:
        raise InvalidInput(wrong.reason) from None
    if not location:
        raise InvalidInput("The online-retail layout needs --at LOC: the location the shop sold from.")
    at = [positions[c] for c in online_retail.COLUMNS]
    needed = max(at) + 1
    map_values = online_retail.map_values

    def mapper(row: int, cells: Cells) -> ImportRow:
        if len(cells) < needed:
            cells = [*cells, *([""] * (needed - len(cells)))]
        return map_values(row, *[cells[i] for i in at], location=location)

    return mapper


LAYOUTS = {"stockdesk": stockdesk_mapper, "online-retail": online_retail_mapper}


# -- products -----------------------------------------------------------------------------------

PRODUCT_REQUIRED = ("sku", "name")
PRODUCT_OPTIONAL = ("barcode", "tracking", "cost", "price", "reorder_point", "category")


@dataclass(frozen=True)
class ProductLine:
    row: int
    sku: str
    name: str
    barcode: str | None
    tracking: str
    cost: str
    price: str
    reorder_point: str
    category: str | None
    attributes: dict[str, object]


def product_mapper(header: Sequence[str]) -> Callable[[int, Cells], ProductLine]:
    found = columns(header, PRODUCT_REQUIRED, PRODUCT_OPTIONAL, "products")
    known = set(PRODUCT_REQUIRED) | set(PRODUCT_OPTIONAL)
    extras = [(i, name) for i, name in enumerate(header) if name and name.strip().lower() not in known]
    width = len(header)

    def get(cells: Cells, name: str) -> str:
        return text(_cell(cells, found.get(name)))

    def mapper(row: int, cells: Cells) -> ProductLine:
        if len(cells) > width and any(text(c) for c in cells[width:]):
            raise RowRefused(f"The row has {len(cells)} values but the header names {width} columns.")
        attributes = {}
        for i, name in extras:
            value = _cell(cells, i)
            if text(value):
                attributes[name.strip()] = value if isinstance(value, int | float | bool) else text(value)
        return ProductLine(
            row=row,
            sku=get(cells, "sku"),
            name=get(cells, "name"),
            barcode=get(cells, "barcode") or None,
            tracking=get(cells, "tracking") or "none",
            cost=get(cells, "cost") or "0",
            price=get(cells, "price") or "0",
            reorder_point=get(cells, "reorder_point") or "0",
            category=get(cells, "category") or None,
            attributes=attributes,
        )

    return mapper
