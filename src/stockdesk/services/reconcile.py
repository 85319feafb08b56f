"""Reconciliation: prove the stored quantities equal the ledger; repair only when asked, and record it."""

from __future__ import annotations

from dataclasses import dataclass

from ..db import document_drift
from ..db import reconcile as sql
from ..domain.postings import EVERYTHING
from ..domain.users import Action
from .context import Context


@dataclass(frozen=True)
class ReconcileReport:
    drifts: tuple[sql.Drift, ...]
    repaired: bool
    run_id: int | None

    @property
    def clean(self) -> bool:
        return not self.drifts

    @property
    def settled(self) -> bool:
        """Nothing is left drifting: clean, or repaired with every drift one that a repair sets."""
        return self.clean or (self.repaired and all(d.repairable for d in self.drifts))


def reconcile(ctx: Context, *, repair: bool = False) -> ReconcileReport:
    if repair:
        ctx.user.require(Action.REPAIR)
    with ctx.writing() if repair else ctx.reading() as uow:
        conn = uow.connection
        if repair:
            sql.hold_writers(conn)
        drifts = tuple(
            sql.level_drift(conn)
            + sql.reservation_drift(conn)
            + sql.serial_drift(conn)
            + document_drift.on_order_drift(conn)
            + document_drift.order_line_drift(conn)
        )
        run_id = None
        if repair:
            repairable = [d for d in drifts if d.repairable]
            sql.repair(conn, repairable)
            run_id = sql.record_repair(conn, repairable, user_id=ctx.user.id, at=ctx.now())
            uow.commit(EVERYTHING)
    return ReconcileReport(drifts, repair, run_id)
