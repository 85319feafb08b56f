"""`stockdesk-cli` end to end, in a subprocess as a script would run it, on both backends.

Exit codes: 0 done; 1 refused (one line on stderr, nothing written); 2 usage error (argparse).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import snapshot

STOCK_KEYS = {"sku", "location", "lot", "on_hand", "reserved", "quarantined", "available", "in_transit", "on_order"}
POSTING_KEYS = {"posting_id", "key", "kind", "reference", "posted_at", "movements", "changes", "replayed"}
MOVEMENT_KEYS = {"id", "kind", "sku", "qty", "from_location", "from_bucket", "to_location", "to_bucket", "lot"}


class Cli:
    def __init__(self, url: str) -> None:
        self.env = {**os.environ, "STOCKDESK_DB": url}
        self.env.pop("STOCKDESK_USER", None)

    def run(self, *args: str, code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "stockdesk.cli.main", *map(str, args)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == code, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done

    def json(self, *args: str) -> dict:
        done = self.run(*args, "--json")
        assert done.stderr == ""
        return json.loads(done.stdout)

    def refused(self, *args: str, match: str) -> str:
        done = self.run(*args, code=1)
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("stockdesk-cli: "), done.stderr
        assert match in done.stderr, done.stderr
        return done.stderr

    def usage(self, *args: str, match: str) -> str:
        done = self.run(*args, code=2)
        assert match in done.stderr, done.stderr
        return done.stderr


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url)


def stock_rows(cli: Cli, *args: str) -> dict[tuple[str, str | None, str | None], dict]:
    rows = cli.json("stock", *args)["rows"]
    assert all(set(row) >= STOCK_KEYS for row in rows)
    return {(r["sku"], r["location"], r["lot"]): r for r in rows}


def test_a_small_business_day_through_the_cli(cli, ctx, tmp_path):
    init = cli.json("init")
    assert set(init) == {"database", "revision"} and init["revision"]

    site = cli.json("location", "add", "WH", "--name", "Warehouse")
    assert (site["code"], site["kind"], site["parent_id"]) == ("WH", "site", None)
    cli.json("location", "add", "WH-A", "--name", "Aisle A", "--parent", "WH", "--kind", "aisle", "--sort-key", "A")
    bin_ = cli.json("location", "add", "WH-A-01", "--name", "Bin A-01", "--parent", "WH-A")
    assert (bin_["kind"], bin_["site_id"]) == ("bin", site["id"])
    cli.run("location", "add", "SHOP", "--name", "High Street shop")
    cli.run("location", "add", "SHOP-FLOOR", "--name", "Floor", "--parent", "SHOP")

    tee = cli.json("product", "add", "TEE-M", "--name", "T-shirt M", "--barcode", "4006381333931", "--price", "12")
    assert (tee["sku"], tee["tracking"], tee["price"], tee["barcode"]) == ("TEE-M", "none", "12.0000", "4006381333931")
    edited = cli.json("product", "edit", "TEE-M", "--price", "12.50", "--reorder-point", "4")
    assert (edited["price"], edited["reorder_point"]) == ("12.5000", 4)
    assert cli.json("product", "edit", "TEE-M", "--weight", "180")["weight_grams"] == 180
    cli.refused("product", "edit", "TEE-M", "--weight", "heavy", match="Weight in grams")
    cli.refused("product", "edit", "TEE-M", match="Say what to change")
    cli.run("product", "add", "MILK", "--name", "Milk 1 l", "--tracking", "lot")
    cli.run("product", "add", "PHONE", "--name", "Phone", "--tracking", "serial")

    receipt = cli.json("receive", "TEE-M", "20", "--to", "WH-A-01", "--ref", "PO-1", "--key", "PO-1:1")
    assert set(receipt) >= POSTING_KEYS and set(receipt["movements"][0]) >= MOVEMENT_KEYS
    assert (receipt["kind"], receipt["key"], receipt["reference"], receipt["replayed"]) == (
        "receive",
        "PO-1:1",
        "PO-1",
        False,
    )
    assert cli.json("receive", "TEE-M", "20", "--to", "WH-A-01", "--ref", "PO-1", "--key", "PO-1:1")["replayed"]
    cli.run("receive", "MILK", "10", "--to", "WH-A-01", "--lot", "L1", "--expiry", "2099-01-31", "--supplier", "Dairy")
    phones = cli.json("receive", "PHONE", "2", "--to", "WH-A-01", "--serial", "S1", "S2")
    assert sorted(m["serial"] for m in phones["movements"]) == ["S1", "S2"]

    reserved = cli.json("reserve", "TEE-M", "5", "--at", "WH-A-01", "--ref", "ORD-1")
    assert [(m["from_bucket"], m["to_bucket"]) for m in reserved["movements"]] == [("A", "R")]
    shipped = cli.json("ship", "TEE-M", "5", "--from", "WH-A-01", "--ref", "ORD-1")
    assert [(m["from_bucket"], m["to_location"]) for m in shipped["movements"]] == [("R", "@CUSTOMER")]
    cli.json("sell", "TEE-M", "2", "--from", "WH-A-01", "--ref", "TILL-1")
    cli.json("sell", "MILK", "3", "--from", "WH-A-01")
    cli.json("sell", "PHONE", "1", "--from", "WH-A-01", "--serial", "S1")
    back = cli.json("return", "TEE-M", "1", "--to", "WH-A-01", "--ref", "ORD-1", "--reason", "wrong size")
    assert back["movements"][0]["from_location"] == "@CUSTOMER"
    adjusted = cli.json("adjust", "TEE-M", "-1", "--at", "WH-A-01", "--reason", "DAMAGED", "--note", "torn")
    assert [(m["before_qty"], m["after_qty"]) for m in adjusted["movements"]] == [(14, 13)]
    cli.json("quarantine", "TEE-M", "2", "--at", "WH-A-01", "--note", "check seams")
    cli.json("unquarantine", "TEE-M", "1", "--at", "WH-A-01")

    transfer = cli.json("transfer", "request", "TEE-M", "4", "--from", "WH-A-01", "--to", "SHOP-FLOOR")
    assert (transfer["status"], transfer["lines"][0]["requested"]) == ("requested", 4)
    tid = str(transfer["id"])
    assert cli.json("transfer", "approve", tid)["status"] == "approved"
    picked = cli.json("transfer", "pick", tid)
    assert [(m["kind"], m["to_location"]) for m in picked["movements"]] == [("transfer-pick", "@TRANSIT")]
    in_transit = stock_rows(cli, "TEE-M")
    assert in_transit[("TEE-M", "SHOP-FLOOR", None)]["in_transit"] == 4
    cli.json("transfer", "receive", tid)
    assert cli.json("transfer", "show", tid)["status"] == "received"

    sheet = cli.json("count", "start", "--at", "SHOP-FLOOR")
    assert [(line["sku"], line["book"]) for line in sheet["lines"]] == [("TEE-M", None)]  # blind
    counted = cli.json("count", "enter", str(sheet["session_id"]), "TEE-M", "3")
    assert (counted["sku"], counted["counted"]) == ("TEE-M", 3)
    posted = cli.json("count", "post", str(sheet["session_id"]))
    assert [(m["kind"], m["before_qty"], m["after_qty"]) for m in posted["movements"]] == [("count", 4, 3)]

    rows = stock_rows(cli)
    wh = rows[("TEE-M", "WH-A-01", None)]
    assert {k: wh[k] for k in STOCK_KEYS} == {
        "sku": "TEE-M",
        "location": "WH-A-01",
        "lot": None,
        "on_hand": 9,
        "reserved": 0,
        "quarantined": 1,
        "available": 8,
        "in_transit": 0,
        "on_order": 0,
    }
    assert rows[("TEE-M", "SHOP-FLOOR", None)]["on_hand"] == 3
    assert rows[("MILK", "WH-A-01", "L1")]["on_hand"] == 7
    assert rows[("PHONE", "WH-A-01", None)]["available"] == 1
    assert [r["on_hand"] for r in cli.json("stock", "TEE-M", "--by", "site")["rows"]] == [3, 9]

    history = cli.json("history", "TEE-M")["movements"]
    assert [m["kind"] for m in history][:3] == ["receive", "reserve", "ship"]
    assert all(set(m) >= MOVEMENT_KEYS for m in history)
    assert [m["serial"] for m in cli.json("history", "--serial", "S1")["movements"]] == ["S1", "S1"]
    trace = cli.json("trace", "--lot", "L1")
    assert (trace["sku"], trace["lot"]["number"], trace["lot"]["supplier"]) == ("MILK", "L1", "Dairy")
    assert [r["qty"] for r in trace["receipts"]] == [10] and trace["destinations"][0]["qty"] == 3
    assert [r["on_hand"] for r in trace["in_stock"]] == [7]

    text = cli.run("stock", "TEE-M").stdout.splitlines()
    assert text[0].split()[:3] == ["SKU", "LOCATION", "LOT"] and len(text) == 3
    report = cli.json("reconcile")
    assert (report["clean"], report["drifts"], report["repaired"]) == (True, [], False)
    assert "No drift" in cli.run("reconcile").stdout


def test_refusals_exit_1_with_one_line_and_write_nothing(cli, world, tmp_path):
    cli.run("receive", "TEE-M", "5", "--to", "WH1-A-01")
    cli.run("user", "add", "sam", "--role", "staff")
    before = snapshot(world)

    cli.refused("sell", "TEE-M", "6", "--from", "WH1-A-01", match="Only 5 of TEE-M available at WH1-A-01")
    cli.refused("sell", "TEE-M", "6", "--from", "WH1-A-01", "--json", match="Only 5 of TEE-M")
    cli.refused("receive", "NOPE", "1", "--to", "WH1-A-01", match="No item has the SKU or barcode 'NOPE'")
    cli.refused("receive", "TEE-M", "five", "--to", "WH1-A-01", match="'five' is not")
    cli.refused("receive", "TEE-M", "0", "--to", "WH1-A-01", match="greater than zero")
    cli.refused("receive", "TEE-M", "1", "--to", "MOON", match="no location 'MOON'")
    cli.refused("receive", "MILK-1L", "1", "--to", "WH1-A-01", match="give the lot number")
    cli.refused("adjust", "TEE-M", "-1", "--at", "WH1-A-01", "--reason", "NOPE", match="not a reason code")
    cli.refused("--user", "sam", "adjust", "TEE-M", "-1", "--at", "WH1-A-01", "--reason", "LOST", match="may not")
    cli.refused("--user", "nobody", "stock", match="no active user called 'nobody'")
    cli.refused("transfer", "request", "TEE-M", "1", "--from", "WH1-A-01", "--to", "WH1-B-01", match="both in site")
    cli.refused("transfer", "approve", "99", match="no transfer number 99")
    cli.refused("ship", "TEE-M", "1", "--from", "WH1-A-01", "--ref", "", match="Order reference cannot be empty")
    cli.refused("count", "post", "42", match="no count number 42")
    cli.refused("trace", "--lot", "NOPE", match="There is no lot 'NOPE'")
    cli.refused("history", match="Say which item")
    (tmp_path / "bad.csv").write_text("sku,qty\nTEE-M,1\n")
    cli.refused("import", "movements", tmp_path / "bad.csv", "--json", match="missing the column(s) date, kind")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 broken")
    cli.refused("import", "products", tmp_path / "bad.xlsx", match="bad.xlsx")
    cli.refused("import", "movements", tmp_path / "absent.csv", match="There is no file")

    assert snapshot(world) == before


def test_usage_errors_exit_2_and_write_nothing(cli, world):
    before = snapshot(world)

    cli.usage("receive", "TEE-M", "5", match="the following arguments are required: --to")
    cli.usage("reserve", "TEE-M", "5", "--at", "WH1-A-01", match="required: --ref")
    cli.usage("transfer", "request", "TEE-M", "1", "--to", "SHOP-FRONT", match="required: --from")
    cli.usage("transfer", "pick", "one", match="invalid int value")
    cli.usage("count", "start", match="required: --at")
    cli.usage("product", "add", "X", "--name", "X", "--tracking", "batch", match="invalid choice")
    cli.usage("import", "movements", "f.csv", "--layout", "excel", match="invalid choice")
    cli.usage("import", match="required")
    cli.usage("teleport", match="invalid choice")
    cli.usage(match="required")

    assert snapshot(world) == before


def test_a_database_without_the_schema_is_refused_until_init(backend, templates, tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}" if backend == "sqlite" else templates.empty_pg_url()
    cli = Cli(url)

    cli.refused("stock", match="Run 'stockdesk-cli init'")
    assert cli.json("init")["revision"]
    assert cli.json("stock") == {"rows": []}
    assert cli.json("init")["revision"]  # again: nothing to do


def test_imports_through_the_cli(cli, world, tmp_path):
    products = tmp_path / "products.csv"
    products.write_text("sku,name,price,colour\nCAP-1,Cap,9.5,red\nCAP-2,,1,blue\n")
    movements = tmp_path / "movements.csv"
    movements.write_text(
        "date,kind,sku,qty,location,ref\n"
        "2026-03-01 09:00,receive,CAP-1,10,SHOP-FRONT,PO-1\n"
        "2026-03-02 10:00,sell,CAP-1,3,SHOP-FRONT,TILL-1\n"
        "2026-03-02 11:00,sell,CAP-1,30,SHOP-FRONT,TILL-2\n"
    )

    made = cli.json("import", "products", products)
    first = cli.json("import", "movements", movements, "--batch-size", "2")
    again = cli.json("import", "movements", movements)
    text = cli.run("import", "movements", movements).stdout

    assert {k: made[k] for k in ("imported", "refused", "batches")} == {
        "imported": 1,
        "refused": [{"row": 3, "reason": "Product CAP-2 needs a name."}],
        "batches": 1,
    }
    assert (first["imported"], first["batches"], [r["row"] for r in first["refused"]]) == (2, 2, [4])
    assert first["refused"][0]["reason"].startswith("Only 7 of CAP-1 available at SHOP-FRONT")
    assert (again["imported"], again["skipped"]) == (0, 2)
    assert "Imported 0 rows" in text and "row 4: Only 7 of CAP-1" in text
    assert stock_rows(cli, "CAP-1")[("CAP-1", "SHOP-FRONT", None)]["on_hand"] == 7
    assert cli.json("reconcile")["clean"]


def test_the_online_retail_layout_through_the_cli(cli, world, tmp_path):
    sample = Path(tmp_path / "retail.csv")
    sample.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        "536366,POST,POSTAGE,1,2010-12-01 08:28:00,18.0,12583.0,France\n"
        "C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2010-12-01 09:41:00,2.55,14527.0,United Kingdom\n"
    )

    cli.refused("import", "movements", sample, "--layout", "online-retail", match="needs --at LOC")
    report = cli.json(
        "import",
        "movements",
        sample,
        "--layout",
        "online-retail",
        "--at",
        "SHOP-FRONT",
        "--create-products",
        "--opening-balance",
    )

    assert (report["imported"], report["products_created"], report["openings"]) == (2, 1, 1)
    assert report["refused"] == [{"row": 3, "reason": "not a stock item"}]
    assert stock_rows(cli, "85123A")[("85123A", "SHOP-FRONT", None)]["on_hand"] == 2
    assert cli.json("reconcile")["clean"]
