"""`stockdesk-cli supplier | po | reorder` in a subprocess, on both backends: 0 done, 1 refused
(one line on stderr, nothing written), 2 usage error."""

from __future__ import annotations

import pytest

from tests.builders import snapshot
from tests.test_cli import Cli


@pytest.fixture
def cli(world, db_url: str) -> Cli:
    """The small business of `tests.builders.build_world`, driven from the terminal."""
    return Cli(db_url)


def words(command: str) -> list[str]:
    return command.split()


def on_order(cli: Cli, sku: str) -> int:
    return sum(row["on_order"] for row in cli.json("stock", sku)["rows"])


def test_a_purchase_order_from_creation_to_put_away(cli, world):
    acme = cli.json("supplier", "add", "ACME", "Acme Ltd", "--email", "buy@acme.example", "--over-pct", "10")
    assert (acme["code"], acme["over_receipt_pct"], acme["active"]) == ("ACME", 10, True)
    cli.refused("supplier", "add", "ACME", "Again", match="Supplier ACME already exists")
    assert cli.json("supplier", "update", "ACME", "--lead-time", "3")["lead_time_days"] == 3
    assert [s["code"] for s in cli.json("supplier", "list")["suppliers"]] == ["ACME"]

    po = cli.json(*words("po create ACME --to WH1-A-01 --line TEE-M 10 --line MILK-1L 6 0.55 --expected 2030-06-10"))
    assert (po["status"], po["expected_on"], po["total_cost"]) == ("draft", "2030-06-10", "48.3000")
    assert [(ln["sku"], ln["ordered"], ln["unit_cost"]) for ln in po["lines"]] == [
        ("TEE-M", 10, "4.5000"),
        ("MILK-1L", 6, "0.5500"),
    ]
    pid = str(po["id"])
    assert cli.run("po", "add-line", pid, "PHONE-X", "2").stdout.count("line ") == 3
    assert cli.json("po", "send", pid)["status"] == "sent"
    assert on_order(cli, "TEE-M") == 10

    delivery = words(
        f"po receive {pid} --line TEE-M 8 --damaged TEE-M 1 --line MILK-1L 6 --lot MILK-1L L-1 "
        "--expiry MILK-1L 2099-01-01 --line PHONE-X 2 --serial PHONE-X SN-1 --serial PHONE-X SN-2 --delivery DN-1"
    )
    received = cli.json(*delivery)
    assert received["po"]["status"] == "partial" and received["posting"]["replayed"] is False
    assert [(d["kind"], d["sku"], d["qty"]) for d in received["discrepancies"]] == [("damaged", "TEE-M", 1)]
    assert on_order(cli, "TEE-M") == 1
    again = cli.json(*delivery)
    assert again["posting"]["replayed"] and again["receipt_id"] == received["receipt_id"]

    tasks = cli.json("po", "putaway", pid)["tasks"]
    assert {(t["sku"], t["qty"], t["lot"]) for t in tasks} == {
        ("TEE-M", 8, None),
        ("MILK-1L", 6, "L-1"),
        ("PHONE-X", 2, None),
    }
    assert all(len(t["suggestions"]) == 2 and "WH1-A-01" not in str(t["suggestions"]) for t in tasks)
    assert "-> WH1-A-02" in cli.run("po", "putaway", pid).stdout
    moved = cli.json(*words(f"po put-away PHONE-X 1 --from WH1-A-01 --to WH1-B-01 --serial SN-2 --po {pid}"))
    assert [(m["kind"], m["serial"], m["to_location"]) for m in moved["movements"]] == [("putaway", "SN-2", "WH1-B-01")]
    assert moved["reference"] == f"PO-{pid}"

    closed = cli.json("po", "close", pid, "--note", "rest cancelled by phone")
    assert closed["status"] == "closed"
    assert [(d["kind"], d["qty"]) for d in closed["discrepancies"] if d["kind"] == "short"] == [("short", 1)]
    assert on_order(cli, "TEE-M") == 0
    assert [o["id"] for o in cli.json("po", "list", "--status", "closed")["orders"]] == [po["id"]]
    assert cli.json("po", "list", "--open")["orders"] == []
    tee = cli.json("po", "show", pid)["lines"][0]
    assert (tee["sku"], tee["outstanding"], tee["on_order"]) == ("TEE-M", 1, 0)


def test_refusals_and_usage_errors(cli, world):
    cli.run("supplier", "add", "ACME", "Acme Ltd")
    pid = str(cli.json("po", "create", "ACME", "--to", "WH1-A-01", "--line", "TEE-M", "10")["id"])
    before = snapshot(world)

    cli.refused("po", "receive", pid, "--line", "TEE-M", "1", "--delivery", "DN-1", match=f"PO-{pid} is draft")
    cli.refused("po", "create", "NOPE", "--to", "WH1-A-01", match="There is no supplier 'NOPE'")
    cli.refused("po", "send", "999", match="There is no purchase order PO-999")
    receive = ("po", "receive", pid, "--delivery", "DN-1")
    cli.refused(*receive, "--line", "TEE-M", "1", "--lot", "MILK-1L", "L", match="--lot names MILK-1L")
    cli.refused(*receive, "--line", "TEE-M", "1", "--line", "TEE-M", "2", match="--line is given twice")
    cli.refused(*receive[:3], "--line", "TEE-M", "1", "--delivery", " ", match="Give the delivery note number")
    cli.refused("reorder", "rule", "TEE-M", "--site", "SHOP", "--point", "5", "--max", "2", match="at least")
    cli.usage("po", "create", "ACME", "--to", "WH1-A-01", "--line", "TEE-M", match="takes SKU QTY")
    cli.usage(*receive, "--wrong-item", "ignore", match="invalid choice")
    cli.usage("po", "receive", pid, "--line", "TEE-M", "1", match="the following arguments are required: --delivery")
    cli.usage("po", "list", "--status", "open", match="invalid choice")
    assert snapshot(world) == before

    cli.run("po", "send", pid)
    cli.refused(*receive, "--line", "TEE-M", "11", match="ACME may deliver at most 10 (0% over)")
    cli.refused(*receive, "--line", "MILK-1L", "1", "--lot", "MILK-1L", "L", match="is not on PO-")
    kept = cli.json(*receive, "--line", "MILK-1L", "2", "--lot", "MILK-1L", "L", "--wrong-item", "keep")
    assert [(d["kind"], d["kept"]) for d in kept["discrepancies"]] == [("wrong_item", True)]
    booked = f"Delivery DN-1 was already booked on PO-{pid} (receipt {kept['receipt_id']} by owner at"
    cli.refused(*receive, "--line", "MILK-1L", "3", "--lot", "MILK-1L", "L", "--wrong-item", "keep", match=booked)
    returned = f"po receive {pid} --damaged PHONE-X 1 --damaged-serial PHONE-X S-9 --wrong-item return --delivery DN-2"
    back = cli.json(*words(returned))
    assert back["posting"]["movements"] == [] and back["discrepancies"][0]["kept"] is False
    cli.refused("po", "put-away", "TEE-M", "1", "--from", "WH1-A-01", "--to", "SHOP-FRONT", match="Use a transfer")


def test_a_delivery_keeps_one_wrong_item_and_returns_another_in_one_receipt(cli, world):
    cli.run("supplier", "add", "ACME", "Acme Ltd")
    pid = str(cli.json(*words("po create ACME --to WH1-A-01 --line TEE-M 10"))["id"])
    cli.run("po", "send", pid)
    delivery = words(
        f"po receive {pid} --line TEE-M 4 --line MILK-1L 2 --lot MILK-1L L-1 --line PHONE-X 1 --serial PHONE-X SN-1 "
        "--delivery DN-4"
    )
    before = snapshot(world)

    cli.usage(*delivery, "--wrong-item-for", "MILK-1L", "ignore", match="invalid choice: 'ignore'")
    cli.usage(*delivery, "--wrong-item", "keep", "--wrong-item-for", "MILK-1L", "keep", match="not allowed with")
    cli.refused(*delivery, "--wrong-item-for", "MILK-1L", "keep", match="PHONE-X (Phone X) is not on PO-")
    cli.refused(*delivery, "--wrong-item-for", "CAP-1", "keep", match="--wrong-item-for names CAP-1, which has no")
    twice = ("--wrong-item-for", "MILK-1L", "keep", "--wrong-item-for", "MILK-1L", "return")
    cli.refused(*delivery, *twice, match="--wrong-item-for is given twice for MILK-1L")
    assert snapshot(world) == before

    answers = ("--wrong-item-for", "MILK-1L", "keep", "--wrong-item-for", "PHONE-X", "return")
    received = cli.json(*delivery, *answers)

    after = snapshot(world)
    assert [len(after[t]) - len(before[t]) for t in ("postings", "purchase_receipts")] == [1, 1]
    assert {m["sku"] for m in received["posting"]["movements"]} == {"TEE-M", "MILK-1L"}
    assert [(d["sku"], d["kept"]) for d in received["discrepancies"]] == [("MILK-1L", True), ("PHONE-X", False)]
    assert [(ln["sku"], ln["unplanned"]) for ln in received["po"]["lines"]] == [("TEE-M", False), ("MILK-1L", True)]
    assert cli.json(*delivery, *answers)["posting"]["replayed"] is True


def test_reorder_from_the_terminal(cli, world):
    cli.run("supplier", "add", "ACME", "Acme Ltd")
    cli.run("receive", "TEE-M", "20", "--to", "WH1-A-01")
    rule = cli.json("reorder", "rule", "TEE-M", "--site", "SHOP", "--point", "6", "--max", "20", "--supplier", "ACME")
    assert rule == {"sku": "TEE-M", "site": "SHOP", "reorder_point": 6, "max_qty": 20, "supplier": "ACME"}

    [line] = cli.json("reorder", "list", "--site", "SHOP")["lines"]
    assert (line["transfer_from"], line["transfer_qty"], line["order_qty"], line["supplier"]) == ("WH1", 15, 5, "ACME")
    assert "move 15 from WH1; order 5 from ACME" in cli.run("reorder", "list").stdout

    plan = cli.json("reorder", "draft")
    assert [(t["from_location"], t["to_location"]) for t in plan["transfers"]] == [("WH1", "SHOP")]
    assert [(o["supplier_code"], o["status"], o["lines"][0]["ordered"]) for o in plan["orders"]] == [
        ("ACME", "draft", 5)
    ]
    assert cli.run("reorder", "draft").stdout == "Nothing to reorder.\n"
