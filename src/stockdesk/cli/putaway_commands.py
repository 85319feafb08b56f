"""The putaway settings from the terminal: the rules' weights, category zones and bin capacities."""

from __future__ import annotations

from dataclasses import fields

from ..domain.putaway import PutawayRules
from ..services import putaway
from .common import json_parent
from .output import emit


def register(commands) -> None:
    common = json_parent()
    steps = commands.add_parser("putaway", help="how putaway suggests bins").add_subparsers(
        dest="step", required=True, metavar="STEP"
    )
    cmd = steps.add_parser("rules", parents=[common], help="show the rules' weights, or change some (0 = off)")
    for rule in fields(PutawayRules):
        cmd.add_argument(f"--{rule.name.replace('_', '-')}", dest=rule.name, metavar="WEIGHT")
    cmd.set_defaults(run=_rules)
    cmd = steps.add_parser("zone", parents=[common], help="store a product category in a zone of a site")
    cmd.add_argument("category")
    cmd.add_argument("zone", metavar="ZONE_LOC")
    cmd.add_argument("--site", required=True)
    cmd.set_defaults(run=_zone)
    cmd = steps.add_parser("capacity", parents=[common], help="how many units a bin holds ('none': unknown)")
    cmd.add_argument("location")
    cmd.add_argument("units")
    cmd.set_defaults(run=_capacity)


def _rules(ctx, args) -> None:
    changes = {f.name: getattr(args, f.name) for f in fields(PutawayRules) if getattr(args, f.name) is not None}
    rules = putaway.get_putaway_rules(ctx)
    if changes:
        rules = putaway.set_putaway_rules(ctx, PutawayRules.from_mapping({**rules.as_dict(), **changes}))
    emit(args.json, rules, [f"{name.replace('_', ' ')}: {weight:g}" for name, weight in rules.as_dict().items()])


def _zone(ctx, args) -> None:
    putaway.set_category_zone(ctx, site=args.site, category=args.category, zone=args.zone)
    emit(
        args.json, {"site": args.site, "category": args.category, "zone": args.zone}, f"{args.category} -> {args.zone}"
    )


def _capacity(ctx, args) -> None:
    units = None if args.units.strip().lower() == "none" else args.units
    putaway.set_capacity(ctx, args.location, units)
    capacity = None if units is None else int(units)  # the service has checked it is a whole number
    emit(args.json, {"location": args.location, "capacity": capacity}, f"{args.location} holds {capacity or 'unknown'}")
