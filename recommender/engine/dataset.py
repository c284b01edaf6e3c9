"""Interaction data: id maps, implicit confidence weights, time decay and the CSR user x item matrix.

Implicit feedback is turned into a *confidence* per (user, item) pair in the sense of Hu, Koren & Volinsky,
"Collaborative Filtering for Implicit Feedback Datasets" (ICDM 2008): the more (and the stronger) the events a
learner produced on a course, the more we trust that they like it. Each event contributes
``weight(event_type, value) * decay(age)`` and the contributions of one pair are summed.

Documented default weights (:data:`DEFAULT_EVENT_WEIGHTS`):

================  ======  ==========================================================================
event             weight  rationale
================  ======  ==========================================================================
``impression``    0.0     being shown a course says nothing about liking it (used by the engagement model)
``click``         1.0     weakest positive signal
``view``          2.0     opened the course page and stayed
``wishlist``      3.0     explicit intent
``enroll``        5.0     the conversion we optimise
``complete``      8.0     strongest behavioural signal
``rate``          ``value - 2.5`` (clipped at 0) times 2.0: 5 stars -> 5.0, 3 stars -> 1.0, 1-2 stars -> 0
================  ======  ==========================================================================

Time decay (optional) is exponential with a half-life: ``decay(age) = 0.5 ** (age / half_life)`` where ``age`` is
measured from the newest event in the data (or an explicit ``now``) (Ding & Li, "Time weight collaborative
filtering", CIKM 2005).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

EVENT_TYPES: tuple[str, ...] = ("impression", "click", "view", "wishlist", "enroll", "complete", "rate")

DEFAULT_EVENT_WEIGHTS: dict[str, float] = {
    "impression": 0.0,
    "click": 1.0,
    "view": 2.0,
    "wishlist": 3.0,
    "enroll": 5.0,
    "complete": 8.0,
    "rate": 2.0,  # multiplied by max(0, value - 2.5)
}

SECONDS_PER_DAY = 86400.0


def event_weight(event_type: str, value: float | None, weights: Mapping[str, float]) -> float:
    """Confidence contributed by one event before time decay (see the module table)."""
    if event_type not in weights:
        raise ValueError(f"unknown event type {event_type!r}; expected one of {sorted(weights)}")
    w = float(weights[event_type])
    if event_type == "rate":
        stars = 5.0 if value is None else float(value)
        return w * max(0.0, stars - 2.5)
    return w


def _to_seconds(ts: object) -> float:
    if ts is None:
        return 0.0
    if isinstance(ts, _dt.datetime):
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=_dt.UTC)
        return ts.timestamp()
    return float(ts)  # type: ignore[arg-type]


@dataclass
class Interactions:
    """Aggregated (user, item) pairs with a confidence and the time of the latest event of the pair."""

    users: np.ndarray  # int64, index into user_ids
    items: np.ndarray  # int64, index into item_ids
    weights: np.ndarray  # float32 confidence (> 0)
    timestamps: np.ndarray  # float64 unix seconds of the latest event of the pair
    user_ids: list[str]
    item_ids: list[str]
    _user_index: dict[str, int] = field(default_factory=dict, repr=False)
    _item_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._user_index:
            self._user_index = {k: i for i, k in enumerate(self.user_ids)}
        if not self._item_index:
            self._item_index = {k: i for i, k in enumerate(self.item_ids)}

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    def __len__(self) -> int:
        return int(self.users.shape[0])

    def user_index(self, key: str) -> int | None:
        return self._user_index.get(str(key))

    def item_index(self, key: str) -> int | None:
        return self._item_index.get(str(key))

    def subset(self, mask: np.ndarray) -> Interactions:
        """The pairs selected by a boolean mask, keeping the same id maps."""
        return Interactions(
            self.users[mask], self.items[mask], self.weights[mask], self.timestamps[mask],
            self.user_ids, self.item_ids, self._user_index, self._item_index,
        )

    def to_csr(self) -> sp.csr_matrix:
        """The ``n_users x n_items`` float32 CSR confidence matrix (sorted indices, duplicates summed)."""
        m = sp.csr_matrix(
            (self.weights.astype(np.float32), (self.users, self.items)),
            shape=(self.n_users, self.n_items), dtype=np.float32,
        )
        m.sum_duplicates()
        m.sort_indices()
        return m

    def to_matrix(self) -> InteractionMatrix:
        return InteractionMatrix(self.to_csr(), self.user_ids, self.item_ids, self._user_index, self._item_index)


@dataclass
class InteractionMatrix:
    """A CSR user x item confidence matrix with its opaque-string id maps (what models are fitted on)."""

    matrix: sp.csr_matrix
    user_ids: list[str]
    item_ids: list[str]
    _user_index: dict[str, int] = field(default_factory=dict, repr=False)
    _item_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._user_index:
            self._user_index = {k: i for i, k in enumerate(self.user_ids)}
        if not self._item_index:
            self._item_index = {k: i for i, k in enumerate(self.item_ids)}

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape  # type: ignore[return-value]

    @property
    def nnz(self) -> int:
        return int(self.matrix.nnz)

    def user_index(self, key: str) -> int | None:
        return self._user_index.get(str(key))

    def item_index(self, key: str) -> int | None:
        return self._item_index.get(str(key))


def aggregate(
    user_keys: Sequence[str],
    item_keys: Sequence[str],
    weights: np.ndarray,
    timestamps: np.ndarray,
    user_ids: list[str] | None = None,
    item_ids: list[str] | None = None,
) -> Interactions:
    """Map keys to indices (first-seen order unless maps are given) and sum duplicate pairs.

    Pairs whose summed confidence is not positive are dropped. With explicit ``user_ids``/``item_ids`` keys
    outside the maps are dropped too (used for the "given" protocol's test file).
    """
    fixed = user_ids is not None
    uidx: dict[str, int] = {k: i for i, k in enumerate(user_ids)} if user_ids is not None else {}
    iidx: dict[str, int] = {k: i for i, k in enumerate(item_ids)} if item_ids is not None else {}
    u_out = np.empty(len(user_keys), dtype=np.int64)
    i_out = np.empty(len(item_keys), dtype=np.int64)
    for n, (uk, ik) in enumerate(zip(user_keys, item_keys, strict=True)):
        uk, ik = str(uk), str(ik)
        u = uidx.get(uk)
        if u is None:
            if fixed:
                u = -1
            else:
                u = uidx[uk] = len(uidx)
        i = iidx.get(ik)
        if i is None:
            if fixed:
                i = -1
            else:
                i = iidx[ik] = len(iidx)
        u_out[n], i_out[n] = u, i
    keep = (u_out >= 0) & (i_out >= 0)
    u_out, i_out = u_out[keep], i_out[keep]
    w = np.asarray(weights, dtype=np.float64)[keep]
    t = np.asarray(timestamps, dtype=np.float64)[keep]
    n_items = len(iidx)
    pair = u_out * max(n_items, 1) + i_out
    uniq, inv = np.unique(pair, return_inverse=True)
    w_sum = np.bincount(inv, weights=w, minlength=uniq.size)
    t_max = np.full(uniq.size, -np.inf)
    np.maximum.at(t_max, inv, t)
    ok = w_sum > 0
    uniq, w_sum, t_max = uniq[ok], w_sum[ok], t_max[ok]
    users_list = user_ids if user_ids is not None else list(uidx)
    items_list = item_ids if item_ids is not None else list(iidx)
    return Interactions(
        (uniq // max(n_items, 1)).astype(np.int64), (uniq % max(n_items, 1)).astype(np.int64),
        w_sum.astype(np.float32), t_max, users_list, items_list,
    )


@dataclass
class EventLog:
    """Event rows as columns (what a streamed read of a large log fills chunk by chunk): ``users`` / ``items``
    int64 keys, ``types`` int16 codes into ``type_names``, ``timestamps`` float64 unix seconds, ``values`` float64
    (NaN where none). About 30 bytes per event instead of a tuple of Python objects (~250 bytes).

    Iterating yields the ``(user, item, type, datetime, value)`` tuples :func:`build_interactions` also accepts.
    """

    users: np.ndarray
    items: np.ndarray
    types: np.ndarray
    timestamps: np.ndarray
    values: np.ndarray
    type_names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.users.shape[0])

    def __iter__(self):
        names = self.type_names
        for u, i, t, ts, v in zip(self.users.tolist(), self.items.tolist(), self.types.tolist(),
                                  self.timestamps.tolist(), self.values.tolist(), strict=True):
            yield u, i, names[t], _dt.datetime.fromtimestamp(ts, _dt.UTC), None if v != v else v

    def subset(self, mask: np.ndarray) -> EventLog:
        return EventLog(self.users[mask], self.items[mask], self.types[mask], self.timestamps[mask],
                        self.values[mask], self.type_names)

    def renamed(self, mask: np.ndarray, suffix: str) -> EventLog:
        """The same events, those selected by ``mask`` under the type name ``<type><suffix>``."""
        names = self.type_names + tuple(name + suffix for name in self.type_names)
        types = np.where(mask, self.types + len(self.type_names), self.types).astype(np.int16)
        return EventLog(self.users, self.items, types, self.timestamps, self.values, names)


class EventLogBuilder:
    """Fills an :class:`EventLog` from chunks of ``(user, item, type, datetime, value)`` rows without holding
    the rows: arrays are preallocated for ``expected`` events (a count taken before reading) and grown when more
    arrive."""

    def __init__(self, expected: int = 0) -> None:
        n = max(int(expected), 1024)
        self._cols = [np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int16),
                      np.empty(n, np.float64), np.empty(n, np.float64)]
        self._n = 0
        self._codes: dict[str, int] = {}

    def add(self, chunk: Sequence[tuple]) -> None:
        if not chunk:
            return
        users, items, types, times, values = zip(*chunk, strict=True)
        codes = self._codes
        for name in set(types):
            codes.setdefault(name, len(codes))
        if not all(isinstance(t, float | int) for t in times[:1]):  # datetimes (floats: the database converted)
            times = [_to_seconds(t) for t in times]
        new = [np.array(users, dtype=np.int64), np.array(items, dtype=np.int64),
               np.array([codes[t] for t in types], dtype=np.int16), np.array(times, dtype=np.float64),
               np.array(values, dtype=np.float64)]  # None -> NaN
        end = self._n + len(chunk)
        if end > self._cols[0].shape[0]:
            size = max(end, 2 * self._cols[0].shape[0])
            self._cols = [np.resize(col, size) for col in self._cols]
        for col, part in zip(self._cols, new, strict=True):
            col[self._n:end] = part
        self._n = end

    def build(self) -> EventLog:
        cols = [col[:self._n].copy() if col.shape[0] > self._n else col for col in self._cols]
        self._cols = []
        return EventLog(*cols, type_names=tuple(self._codes))


def _weights_of(log: EventLog, table: Mapping[str, float]) -> np.ndarray:
    """:func:`event_weight` of every event of ``log``, vectorised."""
    used = set(np.unique(log.types).tolist())
    for code in sorted(used):
        if log.type_names[code] not in table:
            raise ValueError(f"unknown event type {log.type_names[code]!r}; expected one of {sorted(table)}")
    per_code = np.array([float(table[name]) if code in used else 0.0 for code, name in enumerate(log.type_names)]
                        or [0.0], dtype=np.float64)
    w = per_code[log.types]
    rate = np.array([name == "rate" for name in log.type_names] or [False])[log.types]
    if rate.any():
        stars = np.where(np.isnan(log.values[rate]), 5.0, log.values[rate])
        w[rate] = w[rate] * np.maximum(0.0, stars - 2.5)
    return w


def _aggregate_log(log: EventLog, w: np.ndarray) -> Interactions:
    """:func:`aggregate` for integer keys, vectorised: ids in ascending order (the same whatever order the log
    was read in), duplicate pairs summed, latest time kept, non-positive pairs dropped."""
    user_keys, users = np.unique(log.users, return_inverse=True)
    item_keys, items = np.unique(log.items, return_inverse=True)
    n_items = max(item_keys.size, 1)
    pair = users.astype(np.int64) * n_items + items
    del users, items
    order = np.argsort(pair, kind="stable")
    pair = pair[order]
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if pair.size else np.empty(0, np.int64)
    uniq = pair[starts]
    del pair
    w_sum = np.add.reduceat(w[order], starts) if starts.size else np.empty(0)
    t_max = np.maximum.reduceat(log.timestamps[order], starts) if starts.size else np.empty(0)
    del order
    ok = w_sum > 0
    uniq, w_sum, t_max = uniq[ok], w_sum[ok], t_max[ok]
    return Interactions((uniq // n_items).astype(np.int64), (uniq % n_items).astype(np.int64),
                        w_sum.astype(np.float32), t_max, [str(k) for k in user_keys.tolist()],
                        [str(k) for k in item_keys.tolist()])


def build_interactions(
    rows: Iterable[tuple] | EventLog,
    weights: Mapping[str, float] | None = None,
    half_life_days: float | None = None,
    now: float | _dt.datetime | None = None,
) -> Interactions:
    """Aggregate event rows ``(user_key, item_key, event_type, ts, value)`` (or an :class:`EventLog`) into
    weighted pairs.

    ``ts`` is a datetime or unix seconds; ``value`` may be None (only ``rate`` uses it). ``weights`` overrides
    entries of :data:`DEFAULT_EVENT_WEIGHTS`. With ``half_life_days`` each event is multiplied by
    ``0.5 ** (age_days / half_life_days)``, age measured from ``now`` (default: the newest event).
    """
    table = dict(DEFAULT_EVENT_WEIGHTS)
    if weights:
        table.update(weights)
    if isinstance(rows, EventLog):  # columns: vectorised, ids in ascending order
        w_log = _weights_of(rows, table)
        if half_life_days is not None and len(rows):
            if half_life_days <= 0:
                raise ValueError("half_life_days must be positive")
            ref = rows.timestamps.max() if now is None else _to_seconds(now)
            w_log *= np.power(0.5, np.maximum(ref - rows.timestamps, 0.0) / SECONDS_PER_DAY / half_life_days)
        return _aggregate_log(rows, w_log)
    users: list[str] = []
    items: list[str] = []
    w: list[float] = []
    ts: list[float] = []
    for row in rows:
        user_key, item_key, event_type, t, value = (tuple(row) + (None,) * 5)[:5]
        users.append(str(user_key))
        items.append(str(item_key))
        w.append(event_weight(str(event_type), value, table))
        ts.append(_to_seconds(t))
    w_arr = np.asarray(w, dtype=np.float64)
    t_arr = np.asarray(ts, dtype=np.float64)
    if half_life_days is not None and t_arr.size:
        if half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        ref = t_arr.max() if now is None else _to_seconds(now)
        age_days = np.maximum(ref - t_arr, 0.0) / SECONDS_PER_DAY
        w_arr = w_arr * np.power(0.5, age_days / half_life_days)
    return aggregate(users, items, w_arr, t_arr)


def build_dataset(
    rows: Iterable[tuple] | EventLog,
    weights: Mapping[str, float] | None = None,
    half_life_days: float | None = None,
    now: float | _dt.datetime | None = None,
) -> InteractionMatrix:
    """Event rows -> :class:`InteractionMatrix` (CSR confidence matrix + id maps). See :func:`build_interactions`."""
    return build_interactions(rows, weights, half_life_days, now).to_matrix()
