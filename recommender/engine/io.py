"""Read ratings / interaction files kept outside the database (optionally gzip-compressed).

Formats
* ``csv`` -- a header row naming ``user`` and ``item`` and optionally ``timestamp`` and ``rating`` (any order,
  extra columns ignored); ids are opaque strings; timestamp is unix seconds or ISO 8601.
* ``movielens`` -- ``UserID::MovieID::Rating::Timestamp`` (ML-1M/10M) or the tab-separated ML-100K
  ``u.data`` layout ``user<TAB>item<TAB>rating<TAB>timestamp`` (detected per file).

With ``positive_threshold`` only rows whose rating is at least the threshold are kept (rows without a rating are
always kept: they are implicit positives). Every kept row becomes one positive pair of weight 1.
"""

from __future__ import annotations

import csv
import datetime as _dt
import gzip
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .dataset import Interactions, aggregate

FORMATS = ("movielens", "csv")


class DataFormatError(ValueError):
    """The file is missing, unreadable or not in the announced format (message says where)."""


@dataclass
class RatingRows:
    users: list[str]
    items: list[str]
    timestamps: np.ndarray
    ratings: np.ndarray  # NaN where the file has no rating

    def __len__(self) -> int:
        return len(self.users)

    def to_interactions(
        self, user_ids: list[str] | None = None, item_ids: list[str] | None = None
    ) -> Interactions:
        """Binary positives (weight 1 per pair) with the latest timestamp of each pair."""
        return aggregate(
            self.users, self.items, np.ones(len(self.users)), self.timestamps, user_ids=user_ids, item_ids=item_ids
        )


def _open_text(path: Path) -> io.TextIOBase:
    if not path.is_file():
        raise DataFormatError(f"{path}: no such file")
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def _parse_ts(text: str, where: str) -> float:
    text = text.strip()
    if not text:
        return 0.0
    try:
        return float(text)
    except ValueError:
        pass
    try:
        t = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DataFormatError(f"{where}: bad timestamp {text!r}") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.timestamp()


def _parse_rating(text: str, where: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise DataFormatError(f"{where}: bad rating {text!r}") from exc


def _read_movielens(fh: io.TextIOBase, name: str) -> RatingRows:
    users, items, ts, ratings = [], [], [], []
    sep: str | None = None
    for lineno, line in enumerate(fh, 1):
        line = line.strip()
        if not line:
            continue
        if sep is None:
            sep = "::" if "::" in line else ("\t" if "\t" in line else None)
            if sep is None:
                raise DataFormatError(f"{name}:{lineno}: not MovieLens format (expected 'user::item::rating::ts')")
        parts = line.split(sep)
        if len(parts) < 3:
            raise DataFormatError(f"{name}:{lineno}: expected user{sep}item{sep}rating[{sep}timestamp]")
        where = f"{name}:{lineno}"
        users.append(parts[0])
        items.append(parts[1])
        ratings.append(_parse_rating(parts[2], where))
        ts.append(_parse_ts(parts[3], where) if len(parts) > 3 else 0.0)
    return RatingRows(users, items, np.asarray(ts, dtype=np.float64), np.asarray(ratings, dtype=np.float64))


def _read_csv(fh: io.TextIOBase, name: str) -> RatingRows:
    reader = csv.reader(fh)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise DataFormatError(f"{name}: empty file") from None
    if "user" not in header or "item" not in header:
        raise DataFormatError(f"{name}: CSV header must name 'user' and 'item' columns, got {header}")
    cu, ci = header.index("user"), header.index("item")
    ct = header.index("timestamp") if "timestamp" in header else None
    cr = header.index("rating") if "rating" in header else None
    users, items, ts, ratings = [], [], [], []
    for lineno, row in enumerate(reader, 2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise DataFormatError(f"{name}:{lineno}: expected {len(header)} columns, got {len(row)}")
        where = f"{name}:{lineno}"
        users.append(row[cu].strip())
        items.append(row[ci].strip())
        ts.append(_parse_ts(row[ct], where) if ct is not None else 0.0)
        ratings.append(_parse_rating(row[cr], where) if cr is not None and row[cr].strip() else np.nan)
    return RatingRows(users, items, np.asarray(ts, dtype=np.float64), np.asarray(ratings, dtype=np.float64))


def read_ratings(
    path: str | os.PathLike[str], fmt: str = "csv", positive_threshold: float | None = None
) -> RatingRows:
    """Parse a ratings file; keep rows with ``rating >= positive_threshold`` (unrated rows are kept)."""
    p = Path(path)
    if fmt not in FORMATS:
        raise DataFormatError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        with _open_text(p) as fh:
            rows = _read_movielens(fh, p.name) if fmt == "movielens" else _read_csv(fh, p.name)
    except (OSError, EOFError, UnicodeError, gzip.BadGzipFile) as exc:
        raise DataFormatError(f"{p}: cannot read ({exc})") from exc
    if positive_threshold is not None and len(rows):
        keep = np.isnan(rows.ratings) | (rows.ratings >= positive_threshold)
        idx = np.flatnonzero(keep)
        rows = RatingRows(
            [rows.users[i] for i in idx], [rows.items[i] for i in idx], rows.timestamps[idx], rows.ratings[idx]
        )
    if not len(rows):
        raise DataFormatError(f"{p}: no usable rows")
    return rows


def read_interactions(
    path: str | os.PathLike[str], fmt: str = "csv", positive_threshold: float | None = None
) -> Interactions:
    """:func:`read_ratings` then aggregate into binary positive pairs with id maps."""
    return read_ratings(path, fmt, positive_threshold).to_interactions()
