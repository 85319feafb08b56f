"""The shortest path through the ledger on both backends: receive, sell, reconcile."""

from stockdesk.services import queries, stock
from stockdesk.services.reconcile import reconcile


def test_receive_then_sell_leaves_the_difference_available(world):
    stock.receive(world, "TEE-M", 10, to="WH1-A-01")
    stock.sell(world, "TEE-M", 3, source="WH1-A-01")

    [row] = queries.stock(world, "TEE-M")
    assert (row.location, row.on_hand, row.available) == ("WH1-A-01", 7, 7)
    assert reconcile(world).clean
