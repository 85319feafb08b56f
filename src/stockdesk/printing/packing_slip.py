"""A packing slip: what is in the parcel, for whom, and how it travels.

The outputs issue will make the full-format paper; this one is plain but correct. It is drawn from
plain data (no database, no Qt), and its text is set in DejaVu Sans, embedded, so a customer's name
and address print as typed in any European script, on any printer.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

log = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Where Debian's fonts-dejavu-core puts the fonts."""
_FONT_FILES = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class SlipLine:
    sku: str
    name: str
    qty: int
    lot: str | None = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackingSlip:
    """A shipment as the parcel's paper tells it (the fields of services.shipping.ShipmentRow it needs)."""

    shipment_id: int
    order_number: str
    external_ref: str | None
    customer_name: str
    ship_to: str | None
    carrier: str | None
    tracking: str | None
    shipped_at: datetime
    lines: tuple[SlipLine, ...]


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    missing: tuple[Path, ...] = ()

    @property
    def warning(self) -> str | None:
        """What to tell the person printing when the embedded font could not be used."""
        if not self.missing:
            return None
        files = ", ".join(str(path) for path in self.missing)
        return (
            f"The font {files} is missing, so the slip is set in Helvetica, which prints only Western European "
            "letters. Install the package fonts-dejavu-core and print it again."
        )


def slip_fonts(font_dir: Path = FONT_DIR) -> Fonts:
    """DejaVu Sans, embedded; Helvetica (not embedded, Latin-1 only) when the files are missing, said loudly."""
    missing = tuple(font_dir / file for file in _FONT_FILES.values() if not (font_dir / file).is_file())
    if missing:
        fonts = Fonts("Helvetica", "Helvetica-Bold", missing)
        log.error("%s", fonts.warning)
        return fonts
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in _FONT_FILES.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_dir / file)))
    return Fonts("DejaVuSans", "DejaVuSans-Bold")


def write_packing_slip(slip: PackingSlip, path: str | Path, *, font_dir: Path = FONT_DIR) -> Fonts:
    """Write `slip` as an A4 PDF at `path`; returns the fonts used (see Fonts.warning)."""
    fonts = slip_fonts(font_dir)
    text = ParagraphStyle("slip", fontName=fonts.regular, fontSize=9.5, leading=12)
    bold = ParagraphStyle("slip-bold", parent=text, fontName=fonts.bold)
    title = ParagraphStyle("slip-title", parent=bold, fontSize=18, leading=22)
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Packing slip {slip.order_number}",
        author="StockDesk",
        initialFontName=fonts.regular,  # else the page starts in Helvetica, a font the PDF would not embed
    )
    width = document.width
    story = [
        Paragraph(f"Packing slip — {_x(slip.order_number)}", title),
        Spacer(1, 4 * mm),
        _addresses(slip, fonts, text, bold, width),
        Spacer(1, 6 * mm),
        _lines(slip, fonts, text, bold, width),
    ]
    document.build(story)
    return fonts


def _addresses(slip: PackingSlip, fonts: Fonts, text: ParagraphStyle, bold: ParagraphStyle, width: float) -> Table:
    """Ship to on the left; the order, the shipment and how it travels on the right."""
    ship_to = [Paragraph("Ship to", bold), Paragraph(_x(slip.customer_name), text)]
    ship_to += [Paragraph(_x(line), text) for line in (slip.ship_to or "").splitlines() if line.strip()]
    facts = [
        ("Order", slip.order_number),
        ("Your reference", slip.external_ref if slip.external_ref != slip.order_number else None),
        ("Shipment", str(slip.shipment_id)),
        ("Shipped", slip.shipped_at.strftime("%Y-%m-%d %H:%M")),
        ("Carrier", slip.carrier),
        ("Tracking", slip.tracking),
    ]
    details = Table(
        [[Paragraph(label, bold), Paragraph(_x(value), text)] for label, value in facts if value],
        colWidths=[32 * mm, width / 2 - 32 * mm],
    )
    details.setStyle(_table_style(fonts, ("LEFTPADDING", (0, 0), (-1, -1), 0)))
    box = Table([[ship_to, details]], colWidths=[width / 2, width / 2])
    box.setStyle(_table_style(fonts, ("LEFTPADDING", (0, 0), (-1, -1), 0)))
    return box


def _lines(slip: PackingSlip, fonts: Fonts, text: ParagraphStyle, bold: ParagraphStyle, width: float) -> Table:
    """One row per item (and lot); long serial lists wrap inside their cell; the header repeats on every page."""
    right = ParagraphStyle("slip-right", parent=text, alignment=2)
    right_bold = ParagraphStyle("slip-right-bold", parent=bold, alignment=2)
    rows = [[Paragraph(h, right_bold if h == "Qty" else bold) for h in ("SKU", "Item", "Qty", "Lot / serials")]]
    for line in slip.lines:
        tracked = ", ".join(line.serials) if line.serials else (line.lot or "")
        cells = (line.sku, line.name, f"{line.qty:,}", tracked)
        rows.append([Paragraph(_x(c), right if column == 2 else text) for column, c in enumerate(cells)])
    units = sum(line.qty for line in slip.lines)
    rows.append([Paragraph("Total units", bold), "", Paragraph(f"{units:,}", right_bold), ""])
    table = Table(rows, colWidths=[34 * mm, width - 34 * mm - 18 * mm - 52 * mm, 18 * mm, 52 * mm], repeatRows=1)
    table.setStyle(
        _table_style(
            fonts,
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -2), 0.25, colors.grey),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
            ("SPAN", (0, -1), (1, -1)),
        )
    )
    return table


def _table_style(fonts: Fonts, *commands: tuple) -> TableStyle:
    """Cells aligned at the top, in the slip's font even where empty (a table's own default is Helvetica)."""
    return TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), fonts.regular), *commands])


def _x(value: str | None) -> str:
    """Text as a paragraph shows it literally (no markup from data)."""
    return escape(value or "")
