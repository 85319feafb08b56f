"""The demo business's places and catalogue: a warehouse and two shops, ~200 variants."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from ...domain.quantities import Tracking
from ...domain.users import Action
from .. import catalog
from ..context import Context


@dataclass(frozen=True)
class Variant:
    sku: str
    name: str
    attributes: dict
    cost: Decimal
    price: Decimal
    bin: str
    category: str


WAREHOUSE = "WH"
SHOPS = {"SHOP-N": "Northgate shop", "SHOP-S": "Southside shop"}
ZONES = {
    "A": ("Apparel", {"1": 6, "2": 6, "3": 6}),
    "B": ("Food and care", {"1": 4}),
    "C": ("Electronics cage", {"1": 3}),
    "D": ("Accessories", {"1": 3}),
}
SHOP_BINS = {"FLOOR": "Shop floor", "BACK": "Back room", "WINDOW": "Window display"}


def shop_floor(shop: str) -> str:
    return f"{shop}-FLOOR"


def build_locations(ctx: Context) -> None:
    """The location tree: the warehouse's bins sort in a serpentine walking order."""
    catalog.add_location(ctx, WAREHOUSE, name="Central warehouse", sort_key="0")
    for zone, (name, aisles) in ZONES.items():
        zone_code = f"WH-{zone}"
        catalog.add_location(ctx, zone_code, name=f"Zone {zone}: {name}", parent=WAREHOUSE, kind="zone", sort_key=zone)
        for aisle, count in aisles.items():
            aisle_code = f"WH-{zone}{aisle}"
            catalog.add_location(
                ctx, aisle_code, name=f"Aisle {zone}{aisle}", parent=zone_code, kind="aisle", sort_key=f"{zone}-{aisle}"
            )
            for n in range(1, count + 1):
                # Serpentine walking order: odd aisles up, even aisles back down.
                step = n if int(aisle) % 2 else count + 1 - n
                code = f"WH-{zone}{aisle}-{n:02d}"
                catalog.add_location(
                    ctx,
                    code,
                    name=f"Bin {zone}{aisle}-{n:02d}",
                    parent=aisle_code,
                    sort_key=f"{zone}-{aisle}-{step:02d}",
                )
    catalog.add_location(ctx, "WH-DOCK", name="Goods-in dock", parent=WAREHOUSE, sort_key="0-DOCK")
    for shop, name in SHOPS.items():
        catalog.add_location(ctx, shop, name=name, sort_key=shop)
        for i, (suffix, bin_name) in enumerate(SHOP_BINS.items()):
            catalog.add_location(ctx, f"{shop}-{suffix}", name=bin_name, parent=shop, sort_key=f"{i:02d}")


# -- the catalogue ------------------------------------------------------------------------------

COLOURS = {
    "WHT": "white",
    "BLK": "black",
    "NVY": "navy",
    "GRY": "heather grey",
    "GRN": "forest green",
    "RED": "red",
    "OLV": "olive",
    "BRG": "burgundy",
    "IND": "indigo",
    "YEL": "mustard",
    "PNK": "pink",
    "SKY": "sky blue",
}


def _apparel() -> list[tuple[str, str, str, list[tuple[str, str, dict]], Decimal, Decimal, str]]:
    """(product name, category, tracking, [(sku, variant name, attributes)], cost, price, aisle)."""
    products = []

    def sized(prefix, name, sizes, colours, cost, price, aisle, category="Apparel", size_word="size"):
        variants = [
            (f"{prefix}-{c}-{s}", f"{name}, {s}, {COLOURS[c]}", {size_word: s, "colour": COLOURS[c]})
            for c in colours
            for s in sizes
        ]
        products.append((name, category, "none", variants, Decimal(cost), Decimal(price), aisle))

    sized(
        "TEE",
        "Organic tee",
        ["XS", "S", "M", "L", "XL", "XXL"],
        ["WHT", "BLK", "NVY", "GRY", "GRN", "RED"],
        "4.20",
        "16.00",
        "A1",
    )
    sized(
        "HOOD",
        "Heavy hoodie",
        ["S", "M", "L", "XL", "XXL"],
        ["BLK", "GRY", "NVY", "OLV", "BRG"],
        "14.50",
        "49.00",
        "A2",
    )
    jeans = [
        (
            f"JEAN-{c}-W{w}L{ln}",
            f"Slim jeans, W{w} L{ln}, {COLOURS[c]}",
            {"waist": w, "length": ln, "colour": COLOURS[c]},
        )
        for c in ("IND", "BLK")
        for w in (28, 30, 32, 34, 36, 38)
        for ln in (30, 32, 34)
    ]
    products.append(("Slim jeans", "Apparel", "none", jeans, Decimal("18.00"), Decimal("69.00"), "A3"))
    sized(
        "SOCK",
        "Sock 3-pack",
        ["S", "M", "L"],
        ["WHT", "BLK", "NVY", "GRY", "RED", "YEL", "PNK", "SKY"],
        "2.10",
        "9.00",
        "A2",
    )
    sized(
        "BEAN",
        "Rib beanie",
        ["OS"],
        ["BLK", "GRY", "NVY", "OLV", "BRG", "RED", "YEL", "PNK", "SKY", "WHT"],
        "3.40",
        "15.00",
        "A3",
    )
    sized(
        "SNKR",
        "Canvas sneaker",
        [str(s) for s in range(37, 47)],
        ["WHT", "BLK", "GRY"],
        "17.00",
        "59.00",
        "A1",
        category="Footwear",
        size_word="EU size",
    )
    sized(
        "TOTE",
        "Canvas tote",
        ["OS"],
        ["WHT", "BLK", "NVY", "GRN", "RED"],
        "2.50",
        "12.00",
        "D1",
        category="Accessories",
    )
    sized(
        "BOTL",
        "Steel bottle",
        ["500ml", "750ml"],
        ["BLK", "WHT", "SKY"],
        "5.00",
        "22.00",
        "D1",
        category="Accessories",
        size_word="volume",
    )
    return products


def _lot_tracked():
    coffee = [
        (f"COF-{code}-{w}", f"Coffee beans {name}, {w}", {"blend": name, "weight": w})
        for code, name in (
            ("ESP", "espresso"),
            ("HSE", "house"),
            ("DEC", "decaf"),
            ("ETH", "Ethiopia"),
            ("COL", "Colombia"),
        )
        for w in ("250G", "1KG")
    ]
    tea = [
        (f"TEA-{c}", f"Loose tea, {n}, 100 g", {"flavour": n})
        for c, n in (("GRN", "green"), ("BLK", "black"), ("CHM", "chamomile"), ("MNT", "mint"))
    ]
    bars = [
        (f"BAR-{c}", f"Energy bar box of 12, {n}", {"flavour": n})
        for c, n in (("PNT", "peanut"), ("CHO", "chocolate"), ("BRY", "berry"), ("COC", "coconut"))
    ]
    sun = [
        (f"SUN-{spf}-{ml}", f"Sunscreen SPF {spf}, {ml} ml", {"spf": spf, "volume": f"{ml} ml"})
        for spf in (30, 50)
        for ml in (100, 200)
    ]
    return [
        ("Coffee beans", "Food", "lot", coffee, Decimal("4.80"), Decimal("11.50"), "B1"),
        ("Loose tea", "Food", "lot", tea, Decimal("2.20"), Decimal("6.90"), "B1"),
        ("Energy bars", "Food", "lot", bars, Decimal("7.00"), Decimal("18.00"), "B1"),
        ("Sunscreen", "Care", "lot", sun, Decimal("3.90"), Decimal("12.90"), "B1"),
    ]


def _serial_tracked():
    return [
        (
            "Wireless headphones",
            "Electronics",
            "serial",
            [(f"HDP-{c}", f"Wireless headphones, {COLOURS[c]}", {"colour": COLOURS[c]}) for c in ("BLK", "WHT", "NVY")],
            Decimal("45.00"),
            Decimal("129.00"),
            "C1",
        ),
        (
            "Smartwatch",
            "Electronics",
            "serial",
            [
                (f"WTC-{m}-{c}", f"Smartwatch {m} mm, {n}", {"case": f"{m} mm", "colour": n})
                for m in (40, 44)
                for c, n in (("BLK", "black"), ("SLV", "silver"))
            ],
            Decimal("90.00"),
            Decimal("249.00"),
            "C1",
        ),
        (
            "Bluetooth speaker",
            "Electronics",
            "serial",
            [(f"SPK-{c}", f"Bluetooth speaker, {COLOURS[c]}", {"colour": COLOURS[c]}) for c in ("BLK", "RED", "SKY")],
            Decimal("22.00"),
            Decimal("59.00"),
            "C1",
        ),
    ]


def _ean13(n: int) -> str:
    body = f"200{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def build_catalogue(ctx: Context, rng: random.Random) -> dict[str, tuple[Variant, Tracking]]:
    """Products with their variants (one product, many variants) in one transaction."""
    ctx.user.require(Action.EDIT_CATALOG)
    found: dict[str, tuple[Variant, Tracking]] = {}
    barcode = 1000
    with ctx.writing() as uow:
        for name, category, tracking, variants, cost, price, aisle in _apparel() + _lot_tracked() + _serial_tracked():
            product_id = uow.catalog.add_product(name=name, category=category, unit="each", tracking=Tracking(tracking))
            bins = [f"WH-{aisle[0]}{aisle[1]}-{n:02d}" for n in range(1, ZONES[aisle[0]][1][aisle[1]] + 1)]
            for i, (sku, variant_name, attributes) in enumerate(variants):
                barcode += 1
                uow.catalog.add_variant(
                    product_id=product_id,
                    sku=sku,
                    name=variant_name,
                    barcode=_ean13(barcode),
                    attributes=attributes,
                    unit_cost=cost,
                    price=price,
                    reorder_point=rng.choice((0, 2, 4, 6)),
                )
                found[sku] = (
                    Variant(sku, variant_name, attributes, cost, price, bins[i * len(bins) // len(variants)], category),
                    Tracking(tracking),
                )
        uow.commit()
    return found


# -- the history --------------------------------------------------------------------------------
