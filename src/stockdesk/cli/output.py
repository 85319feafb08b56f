"""Printing results: one JSON document with --json, short readable lines otherwise."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ..domain.catalog import StockRow
from ..domain.postings import PostingResult


def plain(value: Any) -> Any:
    """Dataclasses, dates, decimals and sets as JSON-ready values."""
    if isinstance(value, StockRow):
        return {**plain(value._asdict()), "available": value.available}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(plain(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def emit(as_json: bool, data: Any, text: str | list[str]) -> None:
    if as_json:
        json.dump(plain(data), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    lines = [text] if isinstance(text, str) else text
    for line in lines:
        print(line)


def posting_lines(result: PostingResult) -> list[str]:
    head = f"{'Already posted' if result.replayed else 'Posted'} {result.kind} #{result.posting_id}"
    if result.reference:
        head += f" ({result.reference})"
    lines = [head]
    for m in result.movements:
        where = f"{m.from_location}{_bucket(m.from_bucket)} -> {m.to_location}{_bucket(m.to_bucket)}"
        extra = f" lot {m.lot}" if m.lot else ""
        extra += f" serial {m.serial}" if m.serial else ""
        lines.append(f"  {m.qty:>6} x {m.sku}{extra}  {where}")
    return lines


def _bucket(code: str) -> str:
    return {"R": " [reserved]", "Q": " [quarantine]"}.get(code, "")


def stock_lines(rows: list[StockRow]) -> list[str]:
    if not rows:
        return ["No stock."]
    header = (
        f"{'SKU':<16} {'LOCATION':<14} {'LOT':<12} {'ON HAND':>8} {'RESERVED':>8} {'QUARANT':>8} "
        f"{'AVAIL':>8} {'TRANSIT':>8} {'ON ORDER':>8}"
    )
    body = [
        f"{r.sku:<16} {r.location or '-':<14} {r.lot or '-':<12} {r.on_hand:>8} {r.reserved:>8} {r.quarantined:>8} "
        f"{r.available:>8} {r.in_transit:>8} {r.on_order:>8}"
        for r in rows
    ]
    return [header, *body]


def posting_json(result: PostingResult) -> dict[str, Any]:
    data = plain(result)
    data["changes"] = plain(result.changes)
    return data
