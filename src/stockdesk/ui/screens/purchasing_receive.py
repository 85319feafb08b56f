"""The Receive tab: a delivery against a sent (or partly received) order, scanned item by item.

The order's open lines are listed first with what is still outstanding. Each scan of an item adds a
unit to its line; lot items then take their lot and expiry, serial items their serials, exactly as on
the Receiving screen. An item the order does not have is asked about once (refuse, keep, return).
Ctrl+Enter posts the whole receipt, which needs the supplier's delivery note number; a refusal (no
note, or over the supplier's tolerance) leaves it as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSplitter, QVBoxLayout

from ...domain.errors import InvalidInput, InvalidState, StockDeskError
from ...domain.postings import ChangeSet, Topic
from ...domain.quantities import Bucket
from ...services.po_receiving import PoReceiptResult
from ...services.purchase_orders import PurchaseOrderRow, reference
from .purchasing_delivery import DeliveryForm
from .purchasing_editor import ReceiptOutcome, wrong_item_question
from .purchasing_pane import Pane
from .purchasing_receipt import PoDraftLine, PoReceiptInProgress, load_order, post_receipt, receipt_model
from .purchasing_tables import RECEIVABLE, po_label
from .receiving_draft import Expecting, Reading, read_code


class ReceivePane(Pane):
    title = "Receive"
    icon_name = "truck-check-outline"
    scan_hint = "Scan an item of the delivery, then Enter"

    def __init__(self, screen) -> None:
        super().__init__(screen)
        self.question: QMessageBox | None = None
        self._held: list[Reading] = []
        """Scans answered while a question was open or a receipt posting: applied, in order, after."""
        self._posting = False
        self._po_id: int | None = None
        self.post_action = self.action("check-bold", "Po&st receipt", self.post, "Ctrl+Return", "Ctrl+Enter")
        self.reset_action = self.action("restore", "&Reset receipt", self.start_over, "Ctrl+Shift+Delete")
        self.done_action = self.action("keyboard-esc", "Done scanning", self.stop_expecting, "Esc")
        self.lines = receipt_model(self)
        self.receipt = PoReceiptInProgress(self.lines)
        self.form = DeliveryForm(self.lines, self.reset_action, self.post_action, screen.putaway_action, self)
        self.form.edited.connect(self._line_edited)
        self.outcome = ReceiptOutcome(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.form)
        splitter.addWidget(self.outcome)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        self._show_order(None)

    # -- which order ------------------------------------------------------------------------------

    def receive(self, po_id: int) -> None:
        """Start receiving this order: a fresh receipt over its open lines. A delivery already half
        scanned is never thrown away: it stays until it is posted or reset."""
        self.loaded = True
        if self.receipt.arrived():
            if po_id != self._po_id:
                self._not_started(
                    InvalidInput(
                        f"The delivery of {reference(self._po_id)} is half scanned: post it (Ctrl+Enter) or reset it "
                        f"(Ctrl+Shift+Delete) before receiving {reference(po_id)}."
                    )
                )
            return
        ctx = self.session.ctx
        self.run(lambda: load_order(ctx, po_id), lambda found: self._start(*found), self._not_started)

    def _start(self, po: PurchaseOrderRow, items) -> None:
        if po.status not in RECEIVABLE:
            self._not_started(
                InvalidState(f"{po.number} is {po.status}; only a sent or partly received order can be received.")
            )
            return
        if po.id != self._po_id:
            self.form.delivery_ref.clear()
        self.receipt.start(po, items)
        self._show_order(po)
        self._resume()

    def _not_started(self, error: Exception) -> None:
        self.screen.reject_scan(error)
        self._resume()

    def _show_order(self, po: PurchaseOrderRow | None) -> None:
        self._po_id = po.id if po else None
        if po is None:
            self.receipt.start(None, {})
        self.form.show_order(po)
        self._lines_changed()

    def shown(self) -> None:
        """Take up the order chosen on the Orders tab (refused while another is half scanned)."""
        self.loaded = True
        po = self.screen.po
        if po is not None and po.status in RECEIVABLE and po.id != self._po_id:
            self.receive(po.id)

    def load(self) -> None:
        super().load()
        if self._po_id is not None and not self.receipt.arrived():
            self.receive(self._po_id)

    def on_changes(self, changes: ChangeSet) -> None:
        """Another desktop received or closed this order: the open lines are read again, unless a
        delivery is half scanned (posting it then says what no longer fits)."""
        idle = not (self._posting or self.question or self.receipt.arrived())
        if idle and self._po_id is not None and changes.mentions(Topic.PURCHASING):
            self.receive(self._po_id)

    # -- scanning ---------------------------------------------------------------------------------

    def on_scan(self, code: str) -> None:
        number = po_label(code) if self.receipt.expecting is Expecting.ITEM else None
        if number is not None:
            self.receive(number)
            return
        ctx = self.session.ctx
        self.run(lambda: read_code(ctx, code), self._apply)

    def _apply(self, reading: Reading) -> None:
        if self.question is not None or self._posting:
            self._held.append(reading)
            return
        item = self.receipt.needs_choice(reading.hit)
        if item is not None and self.receipt.po is not None:
            self._ask(item, reading)
            return
        try:
            self.receipt.take(reading.code, reading.hit, reading.problem)
        except StockDeskError as refusal:
            self.screen.reject_scan(refusal)
            return
        self.message.clear_message()
        self.form.select(self.receipt.current)
        self._lines_changed()

    def _ask(self, item, reading: Reading) -> None:
        self.question = wrong_item_question(item, self.receipt.po, self)
        self.question.finished.connect(lambda _: self._answered(item.sku, reading))
        self.question.open()

    def _answered(self, sku: str, reading: Reading) -> None:
        clicked = self.question.clickedButton() if self.question else None
        self.question = None
        self.receipt.choices[sku] = (clicked.property("choice") if clicked else None) or "refuse"
        self.back_to_scan()
        self._replay([reading])

    def _replay(self, readings: list[Reading]) -> None:
        held, self._held = [*readings, *self._held], []
        for reading in held:
            self._apply(reading)

    def stop_expecting(self) -> None:
        self.receipt.expect(Expecting.ITEM)
        self._lines_changed()

    # -- editing ----------------------------------------------------------------------------------

    def _line_edited(self, position: int, draft: PoDraftLine) -> None:
        self.receipt.replace(position, draft)
        self._lines_changed()

    def start_over(self) -> None:
        po_id = self._po_id
        if po_id is not None and not self._posting:
            self._show_order(None)
            self.receive(po_id)

    def _lines_changed(self) -> None:
        arrived = self.receipt.arrived()
        self.form.show_totals(arrived)
        self.post_action.setEnabled(bool(arrived) and not self._posting)
        self.reset_action.setEnabled(self._po_id is not None and not self._posting)
        self.done_action.setEnabled(self.receipt.expecting is not Expecting.ITEM)
        self.prompt_changed()

    def scan_prompt(self) -> str:
        return self.receipt.prompt()

    def waiting(self) -> bool:
        return self.receipt.expecting is not Expecting.ITEM

    # -- posting ----------------------------------------------------------------------------------

    def post(self) -> None:
        if self._posting or not self.receipt.arrived():
            return
        # Queued behind the scans already asked for, so their answers are on the lines first.
        self.run(lambda: None, lambda _: self._post_now())

    def _post_now(self) -> None:
        lines, po = self.receipt.arrived(), self.receipt.po
        if self._posting or not lines or po is None:
            return
        try:
            ref = self.form.delivery_note()
        except InvalidInput as refusal:
            self.screen.show_error(refusal)
            return
        self._set_posting(True)
        ctx = self.session.ctx
        names = {d.item.sku: d.item.name for d in lines}
        self.run(
            lambda: post_receipt(ctx, po.id, lines, delivery_ref=ref),
            lambda booked: self._posted(booked, names),
            self._refused,
        )

    def _posted(self, booked: PoReceiptResult, names: dict[str, str]) -> None:
        self.outcome.show_booked(booked, names)
        moves = booked.posting.movements
        units = sum(m.qty for m in moves)
        damaged = sum(m.qty for m in moves if m.to_bucket == Bucket.QUARANTINED)
        again = " (it had already been booked)" if booked.posting.replayed else ""
        self.message.show_done(
            f"{booked.po.number}: {units:,} units booked at {booked.po.deliver_to}{again}, {damaged:,} of them "
            f"damaged (in quarantine); {len(booked.discrepancies)} discrepancies recorded. The order is now "
            f"{booked.po.status}. Put the goods away next (Ctrl+Shift+P)."
        )
        self.screen.order_changed(booked.po)
        self._show_order(None)
        if booked.po.status in RECEIVABLE:
            self.receive(booked.po.id)  # the rest still to come; scans held meanwhile go onto it
        else:
            self._resume()
        self.back_to_scan()

    def _refused(self, error: Exception) -> None:
        self.screen.show_error(error)
        self._resume()

    def _resume(self) -> None:
        """Posting or loading is over: the scans held meanwhile are applied, in order."""
        if self._posting:
            self._set_posting(False)
        self._replay([])

    def _set_posting(self, posting: bool) -> None:
        self._posting = posting
        self.form.set_busy(posting)
        self._lines_changed()
