"""The packing slip PDF, read back as a person (pdftotext) and a printer (pdffonts) would."""

from __future__ import annotations

import logging
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from stockdesk.printing.packing_slip import PackingSlip, SlipLine, write_packing_slip

SLIP = PackingSlip(
    shipment_id=7,
    order_number="SO-12",
    external_ref="#1001",
    customer_name="Zoë Łukasiewicz & Søn",
    ship_to="Ulica Żółta 5\n00-950 Warszawa\nPoland",
    carrier="DHL",
    tracking="JD014600003828",
    shipped_at=datetime(2030, 6, 1, 9, 30),
    lines=(
        SlipLine("TEE-M", "T-shirt, M, blue", 3),
        SlipLine("MILK-1L", "Milk 1 l", 2, lot="L-2030-07"),
        SlipLine("PHONE-X", "Phone X <refurbished>", 2, serials=("SN-001", "SN-002")),
    ),
)


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def fonts_of(pdf: Path) -> list[tuple[str, str]]:
    """(font name without its subset tag, embedded yes/no) per font of the PDF."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]  # the header and its underline
    return [(re.sub(r"^[A-Z]{6}\+", "", row.split()[0]), row.split()[-5]) for row in rows]


def test_every_line_of_the_shipment_is_on_the_slip(tmp_path):
    pdf = tmp_path / "slip.pdf"
    write_packing_slip(SLIP, pdf)
    text = text_of(pdf)

    rows = [re.sub(r"\s{2,}", " | ", line.strip()) for line in text.splitlines() if line.strip()]
    assert "T-shirt, M, blue" in text
    assert "TEE-M | T-shirt, M, blue | 3" in rows
    assert "MILK-1L | Milk 1 l | 2 | L-2030-07" in rows
    assert "PHONE-X | Phone X <refurbished> | 2 | SN-001, SN-002" in rows
    assert "Total units | 7" in rows
    for expected in ("Packing slip — SO-12", "#1001", "DHL", "JD014600003828", "2030-06-01 09:30"):
        assert expected in text
    for expected in ("Zoë Łukasiewicz & Søn", "Ulica Żółta 5", "00-950 Warszawa", "Poland"):
        assert expected in text, "the customer's address prints letter for letter"


def test_the_font_is_embedded(tmp_path):
    pdf = tmp_path / "slip.pdf"
    fonts = write_packing_slip(SLIP, pdf)

    assert fonts.warning is None
    found = fonts_of(pdf)
    assert {name for name, _ in found} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(embedded == "yes" for _, embedded in found)


def test_a_long_shipment_runs_over_pages_and_keeps_every_line(tmp_path):
    lines = tuple(SlipLine(f"SKU-{n:03}", f"Item number {n}", n) for n in range(1, 121))
    pdf = tmp_path / "long.pdf"
    write_packing_slip(PackingSlip(**{**SLIP.__dict__, "lines": lines}), pdf)

    text = text_of(pdf)
    assert text.count("\f") >= 2, "more than one page"
    assert text.count("Lot / serials") == text.count("\f"), "the header repeats on every page"
    for n in range(1, 121):
        assert re.search(rf"SKU-{n:03}\s+Item number {n}\s+{n:,}\n", text)
    assert f"{sum(range(1, 121)):,}" in text


def test_without_the_font_it_prints_in_helvetica_and_says_so(tmp_path, caplog):
    pdf = tmp_path / "slip.pdf"
    plain = PackingSlip(**{**SLIP.__dict__, "customer_name": "Zoe Smith", "ship_to": "1 Main St"})
    with caplog.at_level(logging.ERROR, logger="stockdesk.printing.packing_slip"):
        fonts = write_packing_slip(plain, pdf, font_dir=tmp_path / "no-fonts")

    assert fonts.warning is not None and "fonts-dejavu-core" in fonts.warning
    assert "no-fonts/DejaVuSans.ttf" in fonts.warning
    assert [r.getMessage() for r in caplog.records] == [fonts.warning]
    assert {name for name, _ in fonts_of(pdf)} == {"Helvetica", "Helvetica-Bold"}
    assert "Zoe Smith" in text_of(pdf)


@pytest.mark.parametrize("tool", ["pdftotext", "pdffonts"])
def test_the_tools_the_checks_need_are_installed(tool):
    """.ci/run installs poppler-utils; without it the checks above could not run at all."""
    assert subprocess.run([tool, "-v"], capture_output=True).returncode == 0
