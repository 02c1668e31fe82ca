"""Qt table models over the wallet database whose cells live on the C++ side.

Why not a Python ``QAbstractTableModel``: Qt calls ``data()`` for every visible cell and role
on each repaint (~700 calls for the History tab), and each call has to take the GIL back from
the sync thread, which during a big sync holds it for milliseconds at a time; a repaint then
spread over ~50 ms (``bench/ui_latency.py``). Here each table's text, alignment, tooltip and
colour are stored in a :class:`QStandardItemModel` behind a :class:`QIdentityProxyModel`, so
painting, sizing columns and showing tooltips run without Python. Subclasses must not override
Qt's virtual methods (``data``, ``rowCount``, ``flags``, ``eventFilter``...): that would put
Python back on every paint.

A refresh computes what each row shows (its *cells*) and compares with what is on screen: a
few changed cells are updated in place; otherwise a new table replaces the old one in one call
(selection and scroll position are kept, by record key). For refreshes the sync engine asks
for, the rows, their cells and the new table are made on the controller's reader thread
(:mod:`wallet.gui.snapshot`), so the UI thread only swaps it in. The records themselves are
``model.rows`` / ``model.record(row)``; views act on those, never on display text.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QIdentityProxyModel,
    QItemSelection,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QWidget

from wallet.account.database import (
    AddressRecord,
    Chain,
    OutputRecord,
    PaymentRequest,
    RequestState,
    TxState,
)
from wallet.bitcoin import amount as money
from wallet.bitcoin.fiat import format_price
from wallet.gui.controller import HistoryRow, WalletController
from wallet.gui.format import Unit, format_amount, format_time, number, number_locale
from wallet.gui.theme import TEXT_COLOURS, text_colour
from wallet.payments.requests import DEFAULT_PAID_DEPTH

if TYPE_CHECKING:
    from wallet.account.database import WalletDatabase
    from wallet.gui.snapshot import WalletSnapshot

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

#: Colours of trust states (:func:`wallet.gui.theme.text_colour`: readable on the palette);
#: :func:`use_palette_colours` sets them for the application's palette (each model does when
#: made, on the UI thread; the snapshot reader's thread only reads them).
STATE_ROLES = {
    TxState.CONFIRMED: "success",
    TxState.UNVERIFIED: "warning",
    TxState.UNCONFIRMED: "pending",
    TxState.REPLACED: "muted",
}
STATE_COLOURS: dict[TxState, QColor] = {
    state: QColor(TEXT_COLOURS[role][0]) for state, role in STATE_ROLES.items()
}
FROZEN_COLOUR = QColor(TEXT_COLOURS["muted"][0])


def use_palette_colours() -> None:
    """The state colours for the application's palette now (UI thread)."""
    global FROZEN_COLOUR
    STATE_COLOURS.update({state: text_colour(role) for state, role in STATE_ROLES.items()})
    FROZEN_COLOUR = text_colour("muted")


_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

#: What one cell shows: text, tooltip, foreground colour (a shared constant, or None).
Cell = tuple[str, str | None, QColor | None]


def _tr(text: str) -> str:
    # the context of every string here; called on the snapshot reader's thread too (Qt's
    # translate is thread-safe)
    return QCoreApplication.translate("Models", text)


#: The names of trust states and request states as cells show them.
TX_STATE_NAMES = {
    TxState.CONFIRMED: QT_TRANSLATE_NOOP("Models", "confirmed"),
    TxState.UNVERIFIED: QT_TRANSLATE_NOOP("Models", "unverified"),
    TxState.UNCONFIRMED: QT_TRANSLATE_NOOP("Models", "unconfirmed"),
    TxState.REPLACED: QT_TRANSLATE_NOOP("Models", "replaced"),
}
REQUEST_STATE_NAMES = {
    RequestState.WAITING: QT_TRANSLATE_NOOP("Models", "waiting"),
    RequestState.SEEN: QT_TRANSLATE_NOOP("Models", "seen"),
    RequestState.CONFIRMED: QT_TRANSLATE_NOOP("Models", "confirmed"),
    RequestState.PAID: QT_TRANSLATE_NOOP("Models", "paid"),
    RequestState.OVERPAID: QT_TRANSLATE_NOOP("Models", "overpaid"),
    RequestState.UNDERPAID: QT_TRANSLATE_NOOP("Models", "underpaid"),
    RequestState.EXPIRED: QT_TRANSLATE_NOOP("Models", "expired"),
}


def tx_state_name(state: TxState) -> str:
    return _tr(TX_STATE_NAMES[state])


def request_state_name(state: RequestState) -> str:
    return _tr(REQUEST_STATE_NAMES[state])


def tx_state_text(row: HistoryRow) -> str:
    state = row.record.state
    if state is TxState.CONFIRMED:
        if row.confirmations is None:
            return QCoreApplication.translate(
                "Models", "confirmed (proof checked at height {height})"
            ).format(height=number(row.record.height))
        if row.confirmations == 1:
            return QCoreApplication.translate("Models", "confirmed · 1 confirmation")
        return QCoreApplication.translate("Models", "confirmed · {n} confirmations").format(
            n=number(row.confirmations)
        )
    # a transaction only one server lists says so (the others may never have seen it)
    server = row.record.listed_by[0] if row.record.one_server_only else ""
    if state is TxState.UNVERIFIED:
        if server:
            return QCoreApplication.translate(
                "Models", "unverified (a server says height {height}; only {server} lists it)"
            ).format(height=number(row.record.height), server=server)
        return QCoreApplication.translate(
            "Models", "unverified (a server says height {height})"
        ).format(height=number(row.record.height))
    if state is TxState.REPLACED:
        return tx_state_name(state)
    if server:
        return QCoreApplication.translate(
            "Models", "unconfirmed (in the mempool; only {server} lists it)"
        ).format(server=server)
    return QCoreApplication.translate("Models", "unconfirmed (in the mempool)")


@dataclass(frozen=True)
class Context:
    """What cell text depends on beside the record (read together with the rows)."""

    unit: Unit
    lookup: dict[Any, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    """A table column; its ``title`` stays in English (views compare it) and is shown
    translated (context ``Models``)."""

    title: str
    text: Callable[[Any, Context], str]
    align: Qt.AlignmentFlag = LEFT
    tooltip: Callable[[Any, Context], str] | None = None


@dataclass
class Loaded:
    """Rows read for a table and what each shows; ``table`` if it was built off the UI thread."""

    unit: Unit
    rows: list[Any]
    keys: list[Hashable]
    cells: list[tuple[Cell, ...]]
    table: QStandardItemModel | None = None


def changed_cells(
    old_keys: list[Hashable],
    old_cells: list[tuple[Cell, ...]],
    keys: list[Hashable],
    cells: list[tuple[Cell, ...]],
) -> list[tuple[int, int]] | None:
    """The (row, column) cells that differ, or None when rows came, went or moved."""
    if old_keys != keys:
        return None
    changed = []
    for r, (old, new) in enumerate(zip(old_cells, cells, strict=True)):
        if old != new:
            changed.extend((r, c) for c, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    return changed


def _roles(cell: Cell, align: int) -> dict[Qt.ItemDataRole, Any]:
    text, tooltip, colour = cell
    roles: dict[Qt.ItemDataRole, Any] = {_DISPLAY: text, _ALIGN: align}
    if tooltip is not None:
        roles[_TOOLTIP] = tooltip
    if colour is not None:
        roles[_FOREGROUND] = colour
    return roles


def build_table(columns: Sequence[Column], cells: list[tuple[Cell, ...]]) -> QStandardItemModel:
    """A table holding ``cells``; may run on any thread (the result belongs to the UI thread)."""
    table = QStandardItemModel(len(cells), len(columns))
    prototype = QStandardItem()
    prototype.setFlags(_FLAGS)  # selectable, not editable
    table.setItemPrototype(prototype)
    table.setHorizontalHeaderLabels([_tr(c.title) for c in columns])
    aligns = [int(c.align.value) for c in columns]
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            table.setItemData(table.index(r, c), _roles(cell, aligns[c]))
    app = QCoreApplication.instance()
    if app is not None and table.thread() is not app.thread():
        table.moveToThread(app.thread())
    return table


class RecordModel(QIdentityProxyModel):
    """Rows of records with fixed columns; subclasses say how to read them and their key."""

    #: after every refresh, whether it replaced the table or updated cells in place
    refreshed = Signal()

    columns: Sequence[Column] = ()
    #: at most this many changed cells are updated in place; more replace the whole table
    IN_PLACE_CELLS = 40

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        super().__init__()
        self.controller = controller
        self.unit = unit
        use_palette_colours()
        self.rows: list[Any] = []
        self.stale = False
        self._keys: list[Hashable] = []
        self._cells: list[tuple[Cell, ...]] = []
        self._shown_in: QWidget | None = None
        #: weak: a view keeps its model alive, and a cycle would leave the model to the
        #: garbage collector, which may run (and delete a QObject) on any thread
        self._views: list[weakref.ref[QAbstractItemView]] = []
        #: tables swapped in that the reader thread had built (how refreshes were served)
        self.prepared_tables = 0
        self._table = build_table(self.columns, [])
        self.setSourceModel(self._table)
        controller.changed.connect(self.reload)
        controller.add_table(self)
        self.reload()

    # -- what subclasses define ------------------------------------------------------------------

    def load(self) -> tuple[list[Any], Context]:
        """The rows and their context, read through the controller (UI thread)."""
        raise NotImplementedError

    @classmethod
    def read(
        cls, db: WalletDatabase, snapshot: WalletSnapshot, unit: Unit
    ) -> tuple[list[Any], Context]:
        """The same, from a snapshot and the reader's connection (reader thread; a class
        method so the reader holds no reference to this QObject)."""
        raise NotImplementedError

    @staticmethod
    def key(item: Any) -> Hashable:
        raise NotImplementedError

    def read_extra(self) -> tuple[Any, ...]:
        """More arguments for :meth:`read` beside the unit (plain values: the reader thread
        gets them, never this QObject)."""
        return ()

    @staticmethod
    def foreground(item: Any, column: Column) -> QColor | None:
        return None

    # -- rows and cells --------------------------------------------------------------------------

    @classmethod
    def loaded(cls, rows: list[Any], context: Context) -> Loaded:
        """Rows with their keys and cells (pure: runs on the reader thread too)."""
        columns, foreground = cls.columns, cls.foreground
        cells = [
            tuple(
                (
                    col.text(item, context),
                    col.tooltip(item, context) if col.tooltip is not None else None,
                    foreground(item, col),
                )
                for col in columns
            )
            for item in rows
        ]
        return Loaded(context.unit, rows, [cls.key(item) for item in rows], cells)

    def _hidden(self) -> bool:
        return self._shown_in is not None and not self._shown_in.isVisible()

    def preparer(self) -> Callable[[WalletDatabase, WalletSnapshot], Loaded] | None:
        """What the controller's reader thread should compute for this table on its next read
        (None while the table is hidden: it is read when shown)."""
        if self._hidden():
            return None
        keys, cells = self._keys, self._cells  # replaced, never mutated: safe to read there
        cls, unit = type(self), self.unit

        extra = self.read_extra()

        def prepare(db: WalletDatabase, snapshot: WalletSnapshot) -> Loaded:
            loaded = cls.loaded(*cls.read(db, snapshot, unit, *extra))
            changed = changed_cells(keys, cells, loaded.keys, loaded.cells)
            if changed is None or len(changed) > cls.IN_PLACE_CELLS:
                loaded.table = build_table(cls.columns, loaded.cells)
            return loaded

        return prepare

    def reload(self) -> None:
        """Read the rows again; while no view of this model is on screen, only remember to
        (a big sync changes the database often: hidden tables must not cost the UI thread)."""
        if self._hidden():
            self.stale = True
            return
        self.stale = False
        loaded = self.controller.prepared_for(self)
        if loaded is None or loaded.unit is not self.unit:
            rows, context = self.load()
            loaded = self.loaded(rows, context)
        self._apply(loaded)

    def _apply(self, loaded: Loaded) -> None:
        changed = changed_cells(self._keys, self._cells, loaded.keys, loaded.cells)
        if changed is not None and len(changed) <= self.IN_PLACE_CELLS:
            self.rows, self._keys, self._cells = loaded.rows, loaded.keys, loaded.cells
            table = self._table
            for r, c in changed:
                index = table.index(r, c)
                align = int(self.columns[c].align.value)
                table.clearItemData(index)
                table.setItemData(index, _roles(loaded.cells[r][c], align))
        else:
            table = loaded.table or build_table(self.columns, loaded.cells)
            self.prepared_tables += table is loaded.table
            views = [view for view in (ref() for ref in self._views) if view is not None]
            saved = [self._remember(view) for view in views]
            self.rows, self._keys, self._cells = loaded.rows, loaded.keys, loaded.cells
            old, self._table = self._table, table
            self.setSourceModel(table)  # one reset for the views, all on the C++ side
            del old
            for view, state in zip(views, saved, strict=True):
                self._restore(view, *state)
        self.refreshed.emit()

    # -- views -----------------------------------------------------------------------------------

    def follow_visibility(self, widget: QWidget) -> None:
        """Reload only while ``widget`` (the tab showing this model) is visible; the tab calls
        :meth:`shown` from its ``showEvent``."""
        self._shown_in = widget

    def shown(self) -> None:
        """The tab became visible: catch up if a refresh was skipped while hidden. During a
        sync the reader thread prepares it (building a big table here would stall)."""
        if not self.stale:
            return
        if self.controller.syncing():
            self.controller.read_now()
        else:
            self.reload()

    def keep_selection(self, view: QAbstractItemView) -> None:
        """Keep ``view``'s selected records (by key) and scroll position when the table is
        replaced (``view`` shows this model directly or through a proxy)."""
        self._views.append(weakref.ref(view))

    def _source_row(self, view: QAbstractItemView, index) -> int:
        shown = view.model()
        return (shown.mapToSource(index) if shown is not self else index).row()

    def _remember(self, view: QAbstractItemView) -> tuple[list[Hashable], Hashable, int]:
        selection = view.selectionModel()
        keys = [self._keys[self._source_row(view, i)] for i in selection.selectedRows()]
        current = selection.currentIndex()
        current_key = self._keys[self._source_row(view, current)] if current.isValid() else None
        return keys, current_key, view.verticalScrollBar().value()

    def _restore(
        self, view: QAbstractItemView, keys: list[Hashable], current: Hashable, scroll: int
    ) -> None:
        if keys or current is not None:
            shown = view.model()
            where = {k: r for r, k in enumerate(self._keys)}

            def to_view(row: int):
                index = self.index(row, 0)
                return shown.mapFromSource(index) if shown is not self else index

            selection_model = view.selectionModel()
            flags = selection_model.SelectionFlag
            if current in where:
                selection_model.setCurrentIndex(to_view(where[current]), flags.NoUpdate)
            selection = QItemSelection()
            for key in keys:
                if key in where:
                    index = to_view(where[key])
                    if index.isValid():
                        selection.select(index, index)
            if not selection.isEmpty():
                selection_model.select(selection, flags.ClearAndSelect | flags.Rows)
        view.verticalScrollBar().setValue(scroll)

    def set_unit(self, unit: Unit) -> None:
        self.unit = unit
        self.reload()

    def record(self, row: int) -> Any:
        return self.rows[row]


def _value_then(r: HistoryRow, x: Context) -> str:
    """The amount in the local currency at the rate of the day it arrived ("" if none kept)."""
    rate = x.lookup.get(r.record.txid)
    if rate is None:
        return ""
    minor = rate.to_fiat(abs(r.net_sat)) * (-1 if r.net_sat < 0 else 1)
    return money.format_amount(minor, rate.currency, number_locale(), sign=True, code=True)


def _value_then_tip(r: HistoryRow, x: Context) -> str:
    rate = x.lookup.get(r.record.txid)
    if rate is None:
        return QCoreApplication.translate(
            "HistoryModel", "No rate was kept when this transaction arrived."
        )
    return QCoreApplication.translate(
        "HistoryModel", "At 1 BTC = {price} {code} ({source}, {when}): the rate when it arrived"
    ).format(
        price=format_price(rate, number_locale()),
        code=rate.code,
        source=rate.source,
        when=format_time(rate.at),
    )


def _history_columns() -> tuple[Column, ...]:
    return (
        Column(QT_TRANSLATE_NOOP("Models", "Date"), lambda r, _x: format_time(r.record.first_seen)),
        Column(QT_TRANSLATE_NOOP("Models", "State"), lambda r, _x: tx_state_text(r)),
        Column(
            QT_TRANSLATE_NOOP("Models", "Amount"),
            lambda r, x: format_amount(r.net_sat, x.unit, sign=True),
            RIGHT,
        ),
        Column(
            QT_TRANSLATE_NOOP("Models", "Value then"), _value_then, RIGHT, tooltip=_value_then_tip
        ),
        Column(QT_TRANSLATE_NOOP("Models", "Label"), lambda r, _x: r.label),
        # the whole txid: the view gives it the width left and elides the middle if short
        Column(
            QT_TRANSLATE_NOOP("Models", "Transaction"),
            lambda r, _x: r.record.txid_hex,
            tooltip=lambda r, _x: r.record.txid_hex,
        ),
    )


class HistoryModel(RecordModel):
    columns = _history_columns()

    def __init__(self, controller: WalletController, unit: Unit = Unit.BTC) -> None:
        self._code = controller.rates.code
        super().__init__(controller, unit)
        controller.rates.changed.connect(self._currency_changed)

    def _currency_changed(self) -> None:
        if self.controller.rates.code != self._code:  # the values "then" are in another one
            self._code = self.controller.rates.code
            self.reload()

    def read_extra(self) -> tuple[Any, ...]:
        return (self._code,)

    def load(self) -> tuple[list[HistoryRow], Context]:
        return self.controller.history(), Context(self.unit, self.controller.tx_rates())

    @classmethod
    def read(
        cls, db: WalletDatabase, snapshot: WalletSnapshot, unit: Unit, code: str | None = None
    ) -> tuple[list, Context]:
        rates = db.tx_rates(code) if code else {}
        return list(snapshot.history), Context(unit, rates)

    @staticmethod
    def key(item: HistoryRow) -> Hashable:
        return item.record.txid

    @staticmethod
    def foreground(item: HistoryRow, column: Column) -> QColor | None:
        return STATE_COLOURS[item.record.state] if column.title == "State" else None


def _outpoint_text(o: OutputRecord, _x: Context) -> str:
    return f"{o.outpoint.txid[::-1].hex()[:12]}…:{o.outpoint.vout}"


def chain_name(chain: Chain) -> str:
    return (
        QCoreApplication.translate("Models", "change")
        if chain is Chain.CHANGE
        else QCoreApplication.translate("Models", "receive")
    )


def _coin_address(o: OutputRecord, x: Context) -> str:
    return f"{x.lookup.get(o.address_id, '')} ({chain_name(o.chain)} #{o.index})"


class CoinsModel(RecordModel):
    columns = (
        Column(
            QT_TRANSLATE_NOOP("Models", "Coin"),
            _outpoint_text,
            tooltip=lambda o, _x: f"{o.outpoint.txid[::-1].hex()}:{o.outpoint.vout}",
        ),
        Column(
            QT_TRANSLATE_NOOP("Models", "Amount"),
            lambda o, x: format_amount(o.value, x.unit),
            RIGHT,
        ),
        Column(QT_TRANSLATE_NOOP("Models", "State"), lambda o, _x: tx_state_name(o.state)),
        Column(QT_TRANSLATE_NOOP("Models", "Address"), _coin_address),
        # a flag column names the flag where it is set and stays blank elsewhere (as Used)
        Column(
            QT_TRANSLATE_NOOP("Models", "Frozen"),
            lambda o, _x: QCoreApplication.translate("Models", "frozen") if o.frozen else "",
        ),
    )

    @staticmethod
    def _context(addresses: list[AddressRecord], unit: Unit) -> Context:
        return Context(unit, {a.id: a.address for a in addresses})

    def load(self) -> tuple[list[OutputRecord], Context]:
        context = self._context(self.controller.addresses(), self.unit)
        return self.controller.coins(), context

    @classmethod
    def read(cls, db: WalletDatabase, snapshot: WalletSnapshot, unit: Unit) -> tuple[list, Context]:
        return list(snapshot.utxos), cls._context(snapshot.addresses, unit)

    @staticmethod
    def key(item: OutputRecord) -> Hashable:
        return item.outpoint

    @staticmethod
    def foreground(item: OutputRecord, column: Column) -> QColor | None:
        if column.title == "State":
            return STATE_COLOURS[item.state]
        return FROZEN_COLOUR if item.frozen else None


class AddressesModel(RecordModel):
    columns = (
        Column(QT_TRANSLATE_NOOP("Models", "Chain"), lambda a, _x: chain_name(a.chain)),
        Column(QT_TRANSLATE_NOOP("Models", "Index"), lambda a, _x: str(a.index), RIGHT),
        Column(QT_TRANSLATE_NOOP("Models", "Address"), lambda a, _x: a.address),
        Column(
            QT_TRANSLATE_NOOP("Models", "Used"),
            lambda a, _x: QCoreApplication.translate("Models", "used") if a.used else "",
        ),
        Column(
            QT_TRANSLATE_NOOP("Models", "Balance"),
            lambda a, x: format_amount(x.lookup.get(a.id, 0), x.unit),
            RIGHT,
        ),
        Column(QT_TRANSLATE_NOOP("Models", "Label"), lambda a, x: x.labels.get(a.address, "")),
    )

    @staticmethod
    def _context(coins: list[OutputRecord], labels: dict[str, str], unit: Unit) -> Context:
        balances: dict[int, int] = {}
        for coin in coins:
            balances[coin.address_id] = balances.get(coin.address_id, 0) + coin.value
        return Context(unit, balances, labels)

    def load(self) -> tuple[list[AddressRecord], Context]:
        labels = {x.ref: x.label for x in self.controller.db.labels("addr")}
        context = self._context(self.controller.coins(), labels, self.unit)
        return self.controller.addresses(), context

    @classmethod
    def read(cls, db: WalletDatabase, snapshot: WalletSnapshot, unit: Unit) -> tuple[list, Context]:
        labels = {x.ref: x.label for x in db.labels("addr")}
        return list(snapshot.addresses), cls._context(snapshot.utxos, labels, unit)

    @staticmethod
    def key(item: AddressRecord) -> Hashable:
        return item.id


#: What each request state means, in the order a request moves through them (the Requests
#: tab's footer and the State column's tooltips).
_REQUEST_STATE_MEANINGS: dict[RequestState, str] = {
    RequestState.WAITING: QT_TRANSLATE_NOOP("Models", "nothing paid yet"),
    RequestState.SEEN: QT_TRANSLATE_NOOP(
        "Models", "the amount is in the mempool, not yet in a block proven here"
    ),
    RequestState.CONFIRMED: QT_TRANSLATE_NOOP(
        "Models", "its Merkle proof checked here, fewer than {depth} confirmations"
    ),
    RequestState.PAID: QT_TRANSLATE_NOOP("Models", "{depth} or more confirmations: final"),
    RequestState.OVERPAID: QT_TRANSLATE_NOOP(
        "Models", "paid more than asked, {depth}+ confirmations"
    ),
    RequestState.UNDERPAID: QT_TRANSLATE_NOOP("Models", "less than the amount arrived"),
    RequestState.EXPIRED: QT_TRANSLATE_NOOP(
        "Models", "nothing paid before it expired (later payments do not count)"
    ),
}


def request_state_meaning(state: RequestState) -> str:
    """What a request state means (the Requests tab's footer and the State column's tips)."""
    return _tr(_REQUEST_STATE_MEANINGS[state]).format(depth=DEFAULT_PAID_DEPTH)


def _request_state_tip(r: PaymentRequest, _x: Context) -> str:
    return f"{request_state_name(r.state)}: {request_state_meaning(r.state)}"


def _request_amount(r: PaymentRequest, x: Context) -> str:
    return (
        QCoreApplication.translate("Models", "any amount")
        if r.amount_sat is None
        else format_amount(r.amount_sat, x.unit)
    )


def _request_price(r: PaymentRequest, _x: Context) -> str:
    """What a request priced in the local currency asked (its rate locked when made)."""
    price = r.price
    if price is None:
        return ""
    return money.format_amount(price.amount, price.rate.currency, number_locale(), code=True)


def _request_price_tip(r: PaymentRequest, _x: Context) -> str:
    price = r.price
    if price is None:
        return QCoreApplication.translate("RequestsModel", "Asked in bitcoin.")
    rate = price.rate
    return QCoreApplication.translate(
        "RequestsModel", "Rate locked when it was made: 1 BTC = {price} {code} ({source})"
    ).format(price=format_price(rate, number_locale()), code=rate.code, source=rate.source)


class RequestsModel(RecordModel):
    columns = (
        Column(QT_TRANSLATE_NOOP("Models", "Created"), lambda r, _x: format_time(r.created_at)),
        Column(
            QT_TRANSLATE_NOOP("Models", "State"),
            lambda r, _x: request_state_name(r.state),
            tooltip=_request_state_tip,
        ),
        Column(QT_TRANSLATE_NOOP("Models", "Amount"), _request_amount, RIGHT),
        Column(
            QT_TRANSLATE_NOOP("Models", "Price"), _request_price, RIGHT, tooltip=_request_price_tip
        ),
        Column(QT_TRANSLATE_NOOP("Models", "Label"), lambda r, _x: r.label),
        Column(QT_TRANSLATE_NOOP("Models", "Address"), lambda r, _x: r.address),
    )

    def load(self) -> tuple[list[PaymentRequest], Context]:
        return self.controller.requests(), Context(self.unit)

    @classmethod
    def read(cls, db: WalletDatabase, snapshot: WalletSnapshot, unit: Unit) -> tuple[list, Context]:
        return list(reversed(db.payment_requests())), Context(unit)

    @staticmethod
    def key(item: PaymentRequest) -> Hashable:
        return item.id

    @staticmethod
    def foreground(item: PaymentRequest, column: Column) -> QColor | None:
        if column.title == "State":
            if item.state in (RequestState.CONFIRMED, RequestState.PAID, RequestState.OVERPAID):
                return STATE_COLOURS[TxState.CONFIRMED]
            if item.state is RequestState.SEEN:
                return STATE_COLOURS[TxState.UNCONFIRMED]
            if item.state is RequestState.UNDERPAID:
                return STATE_COLOURS[TxState.UNVERIFIED]
            if item.state is RequestState.EXPIRED:
                return STATE_COLOURS[TxState.REPLACED]
        return None
