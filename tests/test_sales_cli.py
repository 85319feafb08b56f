"""`stockdesk-cli so ...` on both backends: JSON output, and the exit codes (0 done, 1 refused with one
line on stderr, 2 usage). Run in-process through cli.main (tests/test_cli.py covers the script itself)."""

from __future__ import annotations

import json

import pytest

from stockdesk.cli.main import main
from stockdesk.services import catalog, stock
from tests.builders import as_user, snapshot

ORDER_KEYS = {"id", "number", "external_ref", "customer_name", "site", "status", "lines", "packed_serials", "verified"}


class SoCli:
    def __init__(self, url: str, capsys) -> None:
        self.url = url
        self.capsys = capsys

    def run(self, *args: object, code: int = 0, user: str | None = None) -> tuple[str, str]:
        argv = ["--db", self.url, *(["--user", user] if user else []), *map(str, args)]
        done = main(argv)
        out, err = self.capsys.readouterr()
        assert done == code, f"{args}: exit {done}\n{out}\n{err}"
        return out, err

    def json(self, *args: object, user: str | None = None) -> dict:
        out, err = self.run(*args, "--json", user=user)
        assert err == ""
        return json.loads(out)

    def refused(self, *args: object, match: str, user: str | None = None) -> str:
        out, err = self.run(*args, code=1, user=user)
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("stockdesk-cli: "), err
        assert match in err, err
        return err

    def usage(self, *args: object, match: str) -> str:
        with pytest.raises(SystemExit) as stopped:
            main(["--db", self.url, *map(str, args)])
        _, err = self.capsys.readouterr()
        assert stopped.value.code == 2 and match in err, err
        return err


@pytest.fixture
def cli(world, db_url, capsys, monkeypatch) -> SoCli:
    monkeypatch.delenv("STOCKDESK_USER", raising=False)
    catalog.edit_variant(world, "TEE-M", weight_grams=200)
    stock.receive(world, "TEE-M", 5, to="WH1-A-01")
    stock.receive(world, "MILK-1L", 4, to="WH1-A-02", lot="L1", expiry="2099-01-01")
    stock.receive(world, "PHONE-X", 2, to="WH1-B-01", serials=["SN-1", "SN-2"])
    return SoCli(db_url, capsys)


def test_an_order_from_entry_to_return_through_the_cli(cli, world):
    order = cli.json(
        "so", "create", "Ada Lovelace", "--line", "TEE-M", "2", "--line", "MILK-1L", "1", "0.99",
        "--line", "PHONE-X", "1", "--ref", "WEB-1", "--ship-to", "1 Analytical Row",
    )  # fmt: skip
    assert set(order) >= ORDER_KEYS
    assert (order["external_ref"], order["status"], order["verified"]) == ("WEB-1", "draft", False)
    assert [(x["sku"], x["ordered"], x["unit_price"], x["unreserved"]) for x in order["lines"]] == [
        ("TEE-M", 2, "12.0000", 2),
        ("MILK-1L", 1, "0.9900", 1),
        ("PHONE-X", 1, "350.0000", 1),
    ]
    number = order["number"]

    confirmed = cli.json("so", "confirm", number, "--site", "WH1")
    assert (confirmed["order"]["status"], confirmed["shortages"]) == ("confirmed", [])
    picks = cli.json("so", "pick-list", order["id"])["lines"]
    assert [(p["location"], p["sku"], p["qty"], p["lot"]) for p in picks] == [
        ("WH1-A-01", "TEE-M", 2, None),
        ("WH1-A-02", "MILK-1L", 1, "L1"),
        ("WH1-B-01", "PHONE-X", 1, None),
    ]
    assert picks[2]["serials"] == ["SN-1", "SN-2"]

    out, err = cli.run("so", "verify", number, "TEE-M", "4006381333931", "TEE-M", "--json", code=1)
    assert out == "" and err.count("\n") == 1 and "all of them are packed already: take the extra unit out" in err
    assert [s["packed"] for s in cli.json("so", "verify", number, "TEE-M", "4006381333931")["scans"]] == [1, 2]
    weighed = cli.json("so", "weigh", number, "390")
    assert (weighed["expected_grams"], weighed["ok"]) == (400, True)
    verified = cli.json("so", "verify", number, "MILK-1L", "SN-2")
    assert (verified["scans"][-1]["complete"], verified["order"]["status"]) == (True, "packed")

    shipment = cli.json("so", "ship", number, "--carrier", "DHL", "--tracking", "JD014")
    assert (shipment["order_number"], shipment["tracking"], shipment["shipped_by"]) == (number, "JD014", "owner")
    assert cli.json("so", "shipment", shipment["id"]) == shipment
    returned = cli.json(
        "so", "return", shipment["id"], "--line", "TEE-M", "1", "--line", "PHONE-X", "1", "--serial", "SN-2",
        "--to", "SHOP-BACK", "--quarantine", "--reason", "damaged in transit",
    )  # fmt: skip
    assert sorted((m["sku"], m["to_location"], m["to_bucket"], m["serial"]) for m in returned["movements"]) == [
        ("PHONE-X", "SHOP-BACK", "Q", "SN-2"),
        ("TEE-M", "SHOP-BACK", "Q", None),
    ]
    shown = cli.json("so", "show", order["id"])
    assert shown["status"] == "shipped"
    assert [len(s["returned"]) for s in shown["shipments"]] == [2]
    assert [o["number"] for o in cli.json("so", "list", "--status", "shipped")["orders"]] == [number]
    assert cli.json("so", "list", "--open")["orders"] == []
    out, _ = cli.run("so", "show", number)
    assert out.startswith(f"{number} (manual WEB-1) for Ada Lovelace: shipped from WH1")


def test_importing_and_batch_picking_through_the_cli(cli, tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text("Order;Customer;SKU;Qty\n#1;Ada;TEE-M;2\n#2;Bo;TEE-M;1\n#2;Bo;MILK-1L;1\n#3;Cy;NOPE;1\n")

    result = cli.json("so", "import", path)

    assert (result["orders_created"], result["refused"]) == (["#1", "#2"], [[5, result["refused"][0][1]]])
    assert "NOPE" in result["refused"][0][1]
    again, _ = cli.run("so", "import", path)
    assert "0 order(s) created" in again and "already known, skipped: #1, #2" in again  # row 5 is looked at again
    ids = [o["id"] for o in cli.json("so", "list")["orders"]]
    for order_id in ids:
        cli.run("so", "confirm", order_id, "--site", "WH1")
    [tees, milk] = cli.json("so", "pick-list", *ids)["lines"]
    assert (tees["qty"], len(tees["orders"]), milk["qty"]) == (3, 2, 1)


def test_refusals_exit_1_with_one_line_and_write_nothing(cli, world):
    order_id = cli.json("so", "create", "Ada", "--line", "TEE-M", "1")["id"]
    as_user(world, "sam", role="staff")
    before = snapshot(world)

    cli.refused("so", "confirm", order_id, "--site", "WH1-A-01", match="WH1-A-01 is a bin, not a site")
    cli.refused("so", "create", "Ada", "--line", "NOPE", "1", match="No item has the SKU or barcode 'NOPE'")
    cli.refused("so", "pick-list", order_id, match=f"SO-{order_id} has nothing reserved to pick")
    cli.refused("so", "show", 404, match="There is no sales order SO-404")
    cli.refused("so", "weigh", order_id, "heavy", match="Measured weight must be a whole number")
    cli.refused("so", "verify", order_id, "TEE-M", match="still a draft")
    cli.refused("so", "shipment", 9, match="There is no shipment number 9")
    assert snapshot(world) == before
    cli.run("so", "confirm", f"SO-{order_id}", "--site", "WH1")
    cli.refused("so", "ship", order_id, "--carrier", "DHL", match="scan the items at the packing bench first")
    cli.refused(
        "so", "ship", order_id, "--carrier", "DHL", "--override", "rush", user="sam",
        match="sam is signed in as staff and may not ship an order that has not been verified",
    )  # fmt: skip
    overridden = cli.json("so", "ship", order_id, "--carrier", "DHL", "--override", "rush")
    assert (overridden["override_by"], overridden["override_note"]) == ("owner", "rush")
    cli.refused("so", "cancel", order_id, match="is shipped; it cannot be cancelled any more")


def test_usage_errors_exit_2(cli):
    cli.usage("so", "create", "Ada", "--line", "TEE-M", match="takes SKU QTY and optionally a unit PRICE")
    cli.usage("so", "create", "Ada", match="--line")
    cli.usage("so", "confirm", "order-7", "--site", "WH1", match="is not an order number such as 12 or SO-12")
    cli.usage("so", "return", "1", "--serial", "SN-1", "--line", "PHONE-X", "1", "--to", "X", "--reason", "r",
              match="comes after the --line SKU QTY it belongs to")  # fmt: skip
    cli.usage("so", "list", "--status", "lost", match="invalid choice")


def test_one_verify_keeps_all_its_scans_or_none_and_reset_starts_over(cli, world):
    stock.receive(world, "TEE-M", 3, to="WH1-A-01")
    number = cli.json("so", "create", "Ada", "--line", "TEE-M", "2")["number"]
    cli.run("so", "confirm", number, "--site", "WH1")
    before = snapshot(world)

    cli.refused("so", "verify", number, "TEE-M", "NOPE", match="No item or serial number matches 'NOPE'")
    assert snapshot(world) == before
    cli.refused("so", "verify", number, "TEE-M", "--reset", match="or --reset alone")
    assert cli.json("so", "verify", number, "TEE-M")["scans"][0]["packed"] == 1
    reset = cli.json("so", "verify", number, "--reset")
    assert [line["packed"] for line in reset["lines"]] == [0]
    assert cli.json("so", "verify", number, "TEE-M", "TEE-M")["order"]["status"] == "packed"
