"""`stockdesk-cli putaway rules | zone | capacity`: the settings the putaway suggestions read, on both backends."""

from __future__ import annotations

import pytest

from stockdesk.domain.putaway import PutawayRules
from stockdesk.services import putaway
from tests.test_cli import Cli


@pytest.fixture
def cli(world, db_url: str) -> Cli:
    return Cli(db_url)


def test_rules_are_shown_then_changed_for_every_desktop(cli, world):
    assert cli.json("putaway", "rules") == PutawayRules().as_dict()

    changed = cli.json("putaway", "rules", "--fefo", "4", "--same-variant", "0")

    assert (changed["fefo"], changed["same_variant"], changed["category_zone"]) == (4.0, 0.0, 3.0)
    assert putaway.get_putaway_rules(world) == PutawayRules(same_variant=0.0, fefo=4.0)
    cli.refused("putaway", "rules", "--fefo", "lots", match="must be a number")
    assert putaway.get_putaway_rules(world).fefo == 4.0


def test_a_capacity_and_a_category_zone_steer_the_suggestions(cli, world):
    assert cli.json("putaway", "capacity", "WH1-A-02", "3") == {"location": "WH1-A-02", "capacity": 3}
    cli.refused("putaway", "capacity", "WH1-A-02", "-1", match="Capacity")

    assert [s.location for s in putaway.suggest_bins(world, "TEE-M", 5, site="WH1")] == ["WH1-A-01", "WH1-B-01"]
    cli.run("putaway", "capacity", "WH1-A-02", "none")
    assert "WH1-A-02" in [s.location for s in putaway.suggest_bins(world, "TEE-M", 5, site="WH1")]
    cli.refused("putaway", "zone", "Apparel", "SHOP-FRONT", "--site", "WH1", match="not a place inside site WH1")
