"""Files the orders screen reads and writes: the file chooser, the pick list as CSV, the packing slip's data."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ...domain.errors import InvalidInput
from ...printing.packing_slip import Fonts, PackingSlip, SlipLine, write_packing_slip
from ...services.picking import PickLine
from ...services.shipping import ShipmentRow
from .orders_tables import orders_served


def file_dialog(parent: QWidget, title: str, name_filter: str, *, save_as: str | None = None) -> QFileDialog:
    """Qt's own file chooser (the same on every desktop and under test), opened without blocking;
    `save_as` makes it a save dialog with that file name suggested."""
    dialog = QFileDialog(parent, title)
    dialog.setObjectName("fileDialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setNameFilter(name_filter)
    if save_as is None:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(Path(save_as).suffix.lstrip("."))
        dialog.selectFile(save_as)
    return dialog


@contextmanager
def saving(path: str | Path, what: str) -> Iterator[None]:
    """A file that cannot be written (no such folder, no permission, disk full) is a refusal the person can act on."""
    try:
        yield
    except OSError as error:
        raise InvalidInput(
            f"The {what} could not be saved to {path}: {error.strerror or error}. Choose another folder or name."
        ) from error


def write_pick_csv(path: str | Path, lines: Sequence[PickLine]) -> Path:
    """The pick list as a spreadsheet opens it (UTF-8 with a byte order mark), in walking order."""
    target = Path(path)
    with saving(target, "pick list"), target.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["Location", "SKU", "Item", "Lot", "Expires", "Qty", "Serials", "Orders"])
        for line in lines:
            expires = line.expires_on.isoformat() if line.expires_on else ""
            serials = " ".join(line.serials)
            writer.writerow(
                [line.location, line.sku, line.name, line.lot or "", expires, line.qty, serials, orders_served(line)]
            )
    return target


def save_packing_slip(shipment: ShipmentRow, path: str | Path) -> Fonts:
    with saving(path, "packing slip"):
        return write_packing_slip(packing_slip_of(shipment), path)


def packing_slip_of(shipment: ShipmentRow) -> PackingSlip:
    return PackingSlip(
        shipment_id=shipment.id,
        order_number=shipment.order_number,
        external_ref=shipment.external_ref,
        customer_name=shipment.customer_name,
        ship_to=shipment.ship_to,
        carrier=shipment.carrier,
        tracking=shipment.tracking,
        shipped_at=shipment.shipped_at,
        lines=tuple(SlipLine(line.sku, line.name, line.qty, line.lot, tuple(line.serials)) for line in shipment.lines),
    )
