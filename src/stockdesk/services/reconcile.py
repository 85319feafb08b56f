"""Reconciliation: prove the stored quantities equal the ledger; repair only when asked, and record it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..db import reconcile as sql
from ..db.records import ReconciliationRecord
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


def reconcile(ctx: Context, *, repair: bool = False) -> ReconcileReport:
    if repair:
        ctx.user.require(Action.REPAIR)
    with ctx.writing() if repair else ctx.reading() as uow:
        conn = uow.connection
        if repair:
            sql.hold_writers(conn)
        drifts = tuple(sql.level_drift(conn) + sql.reservation_drift(conn) + sql.serial_drift(conn))
        run_id = None
        if repair:
            sql.repair(conn, list(drifts))
            run_id = conn.execute(
                ReconciliationRecord.__table__.insert()
                .values(
                    run_at=ctx.now(),
                    user_id=ctx.user.id,
                    drift_rows=len(drifts),
                    repaired=True,
                    details=[{k: v for k, v in asdict(d).items() if k != "key"} for d in drifts],
                )
                .returning(ReconciliationRecord.__table__.c.id)
            ).scalar_one()
            uow.commit()
    return ReconcileReport(drifts, repair, run_id)
