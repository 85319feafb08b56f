"""The one path every stock write takes: idempotency, validation, ledger append, commit.

The key is checked before validation, so a retried request whose first attempt went through
gets that first result back even if the same request would now be refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..db.levels import BatchRefused
from ..db.uow import UnitOfWork, WriteConflict
from ..domain.errors import DuplicateKey
from ..domain.keys import new_key
from ..domain.postings import ChangeSet, MovementDraft, PostingResult, Topic
from ..domain.quantities import Kind
from .context import Context

WRITE_ATTEMPTS = 3


@dataclass(frozen=True)
class Plan:
    drafts: Sequence[MovementDraft]
    reference: str | None = None
    reason_code: str | None = None
    note: str | None = None
    after: Callable[[UnitOfWork, int], None] | None = None
    """Document bookkeeping (transfer or count status) done in the same transaction."""
    topics: frozenset[Topic] = frozenset()
    """Documents the posting changes besides stock (a transfer, a count), for open views."""


def fingerprint(kind: Kind, request: dict[str, Any]) -> str:
    body = json.dumps({"kind": kind.value, **request}, sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def post(
    ctx: Context, *, kind: Kind, key: str | None, request: dict[str, Any], plan: Callable[[UnitOfWork], Plan]
) -> PostingResult:
    given_key = key is not None
    key = key or new_key(kind.value)
    request_print = fingerprint(kind, request)
    row_by_row = False
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return _post_once(ctx, kind, key, given_key or attempt > 0, request_print, plan, row_by_row)
        except WriteConflict:
            # Another client committed a lot, serial, key or reversal this posting also created:
            # the next attempt sees it (and replays, when it was the same request).
            if attempt == WRITE_ATTEMPTS - 1:
                raise
        except BatchRefused:
            # A row of a batched guarded write held too little (another client took the units after
            # the plan read them): plan again and write row by row, which refuses naming that row.
            row_by_row = True
    raise AssertionError("unreachable")


def _post_once(
    ctx: Context,
    kind: Kind,
    key: str,
    check_key: bool,
    request_print: str,
    plan: Callable[[UnitOfWork], Plan],
    row_by_row: bool,
) -> PostingResult:
    with ctx.writing() as uow:
        # A key we just made up cannot have been posted; only a caller's key can be a retry.
        existing = uow.ledger.posting_by_key(key) if check_key else None
        if existing is not None:
            return _replay(uow, key, existing, request_print)
        made = plan(uow)
        header = {
            "idempotency_key": key,
            "fingerprint": request_print,
            "kind": kind.value,
            "reference": made.reference,
            "user_id": ctx.user.id,
            "reason_code": made.reason_code,
            "note": made.note,
            "posted_at": ctx.now(),
        }
        posting_id = uow.ledger.insert_posting(header)
        if posting_id is not None:
            moves = uow.ledger.append(
                posting_id, made.reference, made.drafts, header["posted_at"], row_by_row=row_by_row
            )
            if made.after is not None:
                made.after(uow, posting_id)
            result = uow.ledger.result_of({**header, "id": posting_id}, moves)
            uow.commit(result.changes | ChangeSet(topics=made.topics))
            return result
    # Another client committed the same key between our check and our insert: theirs stands.
    with ctx.reading() as uow:
        return _replay(uow, key, uow.ledger.posting_by_key(key), request_print)


def _replay(uow: UnitOfWork, key: str, existing, request_print: str) -> PostingResult:
    if existing.fingerprint != request_print:
        raise DuplicateKey(
            f"The key '{key}' was already used for a different request; use a new key for a new operation."
        )
    return uow.ledger.result(existing.id, replayed=True)
