"""Line breaking and automatic font sizing that keeps every glyph inside its box.

- Latin (and other space-separated scripts) break at spaces; a word wider than the box is broken between
  characters.
- CJK breaks between any two characters, with the basic kinsoku shori rules of JIS X 4051 / W3C "Requirements
  for Japanese Text Layout" §3.1.7 and "Requirements for Chinese Text Layout" §3.1.7: closing punctuation,
  small kana and the prolonged sound mark never start a line, opening brackets never end one.
- Each text is drawn as runs of the first font face that has each glyph (:mod:`.fonts`), shaped with raqm
  when available, so emoji-less symbols, Arabic and Hebrew shape correctly and never crash.
- The size is the largest integer that fits the box (binary search), widths first estimated from cached
  per-token widths, then checked with the real ink bounding boxes. When even ``min_size`` overflows, the
  text is cut and its last line ends with "…".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .fonts import Face, chain_for, drop_unrenderable, get_font, is_cjk, split_runs

NO_LINE_START = set(
    "、。，．,.:;?!）)]｝〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻‐゠–〜～？！‼⁇⁈⁉・：；…‥%％"
)
NO_LINE_END = set("（([｛〔〈《「『【〘〖〝‘“｟«")
ELLIPSIS = "…"
_REF = 64  # reference pixel size for cached token widths


@dataclass(frozen=True)
class Token:
    text: str
    space_before: bool


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into unbreakable tokens (words; single CJK characters glued by the kinsoku rules)."""
    tokens: list[Token] = []
    cur = ""
    cur_space = False
    space = False
    glue_next = False
    last_cjk = False
    for ch in text:
        if ch == " ":
            if cur:
                tokens.append(Token(cur, cur_space))
                cur = ""
            space, glue_next = True, False
            continue
        cjk = is_cjk(ch)
        if not cur:
            cur, cur_space, space = ch, space, False
        elif glue_next or ch in NO_LINE_START:
            cur += ch
        elif cjk or last_cjk:
            tokens.append(Token(cur, cur_space))
            cur, cur_space = ch, False
        else:
            cur += ch
        glue_next = ch in NO_LINE_END
        last_cjk = cjk
    if cur:
        tokens.append(Token(cur, cur_space))
    return tokens


def _join(tokens: Sequence[Token]) -> str:
    return "".join((" " if t.space_before and i else "") + t.text for i, t in enumerate(tokens))


@lru_cache(maxsize=8192)
def _ref_width(text: str, faces: tuple[Face, ...]) -> float:
    runs, _ = split_runs(text, faces)
    return sum(get_font(f, _REF).getlength(s) for f, s in runs)


@dataclass(frozen=True)
class Run:
    face: Face
    size: int
    text: str
    x: float
    y: float  # baseline


@dataclass
class Line:
    text: str
    runs: list[Run]
    bbox: tuple[int, int, int, int]  # ink box in canvas pixels


@dataclass
class Block:
    """A fitted, positioned piece of text."""

    text: str
    size: int
    lines: list[Line] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        boxes = [ln.bbox for ln in self.lines]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def copy(self) -> Block:
        """An independent copy (``shift`` replaces a copy's runs and boxes, never the original's)."""
        return Block(self.text, self.size, [Line(ln.text, list(ln.runs), ln.bbox) for ln in self.lines])

    def shift(self, dx: float, dy: float) -> None:
        for ln in self.lines:
            ln.runs = [Run(r.face, r.size, r.text, r.x + dx, r.y + dy) for r in ln.runs]
            x0, y0, x1, y1 = ln.bbox
            ln.bbox = (x0 + round(dx), y0 + round(dy), x1 + round(dx), y1 + round(dy))


def measure_line(text: str, faces: tuple[Face, ...], size: int) -> tuple[float, tuple[int, int, int, int]]:
    """Advance width and ink bbox (relative to pen at baseline 0) of one line."""
    runs, _ = split_runs(text, faces)
    pen = 0.0
    x0 = y0 = 10**9
    x1 = y1 = -(10**9)
    for f, s in runs:
        font = get_font(f, size)
        left, t, r, b = font.getbbox(s, anchor="ls")
        if r > left:
            x0, y0, x1, y1 = min(x0, pen + left), min(y0, t), max(x1, pen + r), max(y1, b)
        pen += font.getlength(s)
    if x1 < x0:
        return pen, (0, 0, 0, 0)
    return pen, (int(x0) - 1, int(y0) - 1, int(x1 + 0.999) + 1, int(y1) + 1)


def wrap(tokens: Sequence[Token], faces: tuple[Face, ...], size: int, max_width: float) -> list[str]:
    """Greedy line filling using cached per-token widths scaled to ``size``, then an orphan fix: a last line
    holding one short word or one or two CJK characters takes tokens from the previous line (up to two)."""
    scale = size / _REF
    space_w = _ref_width(" ", faces) * scale

    def width_of(line: list[Token]) -> float:
        return sum(_ref_width(t.text, faces) * scale + (space_w if t.space_before and i else 0.0)
                   for i, t in enumerate(line))

    lines: list[list[Token]] = []
    cur: list[Token] = []
    cur_w = 0.0
    for tok in tokens:
        w = _ref_width(tok.text, faces) * scale
        if w > max_width:  # break an over-long word between characters
            if cur:
                lines.append(cur)
                cur, cur_w = [], 0.0
            piece = ""
            for ch in tok.text:
                if piece and _ref_width(piece + ch, faces) * scale > max_width and ch not in NO_LINE_START:
                    lines.append([Token(piece, False)])
                    piece = ""
                piece += ch
            cur, cur_w = [Token(piece, False)], _ref_width(piece, faces) * scale
            continue
        extra = (space_w if tok.space_before and cur else 0.0) + w
        if cur and cur_w + extra > max_width:
            lines.append(cur)
            cur, cur_w = [tok], w  # _join and width_of ignore a line's leading space
        else:
            cur.append(tok)
            cur_w += extra
    if cur:
        lines.append(cur)
    for _ in range(2):  # orphans: one short word, or one or two CJK characters, alone on the last line
        if len(lines) < 2 or len(lines[-2]) < 3:
            break
        chars = sum(len(t.text) for t in lines[-1])
        if not ((len(lines[-1]) == 1 and chars <= 12) or chars <= 2):
            break
        last = [lines[-2][-1], *lines[-1]]
        if width_of(last) > max_width:
            break
        lines[-2], lines[-1] = lines[-2][:-1], last
    return [_join(line) for line in lines]


def paragraph_is_rtl(text: str) -> bool:
    """Base direction from the first strong character (Unicode Bidirectional Algorithm, UAX #9 rules P2-P3)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def _ellipsize(line: str, faces: tuple[Face, ...], size: int, max_width: float) -> str:
    text = line.rstrip()
    while text:
        cand = text.rstrip(" ,.;:、，。") + ELLIPSIS
        if measure_line(cand, faces, size)[0] <= max_width:
            return cand
        text = text[:-1]
    return ELLIPSIS


def _layout(text: str, lines: list[str], faces: tuple[Face, ...], size: int, box: tuple[int, int, int, int],
            pitch: float, align: str, truncated: bool) -> Block | None:
    """Place ``lines`` top-down in ``box``; None if any ink leaves the box."""
    x0, y0, x1, y1 = box
    width = x1 - x0
    rtl_paragraph = paragraph_is_rtl(text)
    ascent = round(size * 0.94)
    block = Block(text, size)
    for i, ln in enumerate(lines):
        if truncated and i == len(lines) - 1:
            ln = _ellipsize(ln, faces, size, width)
        adv, (left, t, r, b) = measure_line(ln, faces, size)
        if i == 0:
            ascent = max(ascent, -t)  # tall marks (Vietnamese, Arabic) push the first baseline down
        if adv > width + 0.5 or r - left > width:
            return None
        line_align = "right" if align == "left" and rtl_paragraph else align
        if line_align == "center":
            pen = x0 + (width - adv) / 2
        elif line_align == "right":
            pen = x1 - adv
        else:
            pen = x0
        pen = min(max(pen, x0 - left), x1 - r)  # keep ink inside even when side bearings are negative
        base = y0 + ascent + i * round(size * pitch)
        ink = (int(pen + left), base + t, int(pen + r + 0.999), base + b)
        if ink[1] < y0 or ink[3] > y1:
            return None
        runs: list[Run] = []
        p = pen
        for f, s in split_runs(ln, faces)[0]:
            runs.append(Run(f, size, s, p, base))
            p += get_font(f, size).getlength(s)
        block.lines.append(Line(ln, runs, ink))
    return block


def fit_text(text: str, box: tuple[int, int, int, int], *, weight: str = "bold", max_size: int, min_size: int,
             max_lines: int, pitch: float = 1.2, align: str = "left", what: str = "text") -> Block | None:
    """Largest-size layout of ``text`` inside ``box`` (x0, y0, x1, y1); None for text with nothing drawable.

    All ink stays inside ``box``. If ``min_size`` still overflows, the text is cut to the lines that fit and
    ends with "…". If not even one line fits at ``min_size``, returns None (the caller skips the text).
    """
    faces = chain_for(text, weight)
    text = drop_unrenderable(text, faces, what)  # logged on every call, so it stays outside the memo
    if not text:
        return None
    fitted = _fit(text, faces, tuple(box), max_size, min_size, max_lines, pitch, align)
    return fitted.copy() if fitted is not None else None


@lru_cache(maxsize=1024)
def _fit(text: str, faces: tuple[Face, ...], box: tuple[int, int, int, int], max_size: int, min_size: int,
         max_lines: int, pitch: float, align: str) -> Block | None:
    """:func:`fit_text` of drawable text, memoised per process: a storefront's category and creator lines (and any
    repeated subtitle) are fitted once per box, not once per cover. Callers get copies; this one is never shifted."""
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    tokens = tokenize(text)
    min_size = max(6, min(min_size, max_size))

    def cheap_fit(size: int) -> list[str] | None:
        room = int((height - size * 1.2) // round(size * pitch)) + 1 if height >= size * 1.2 else 0
        lines = wrap(tokens, faces, size, width - 3)  # 3 px for the ink box padding and hinting
        return lines if lines and len(lines) <= min(max_lines, room) else None

    # Binary search on the cheap (monotonic) estimate, then step down until the real ink boxes fit.
    lo, hi, top = min_size, max(min_size, max_size), None
    while lo <= hi:
        mid = (lo + hi) // 2
        if cheap_fit(mid) is not None:
            top, lo = mid, mid + 1
        else:
            hi = mid - 1
    size = top or 0
    while size >= min_size:
        lines = cheap_fit(size)
        got = _layout(text, lines, faces, size, box, pitch, align, False) if lines else None
        if got is not None:
            return got
        size -= max(1, size // 24)  # bounded number of real measurements
    # Overflow at the minimum size: keep what fits and end with an ellipsis.
    size = min_size
    room = int((height - size * 1.2) // round(size * pitch)) + 1 if height >= size * 1.2 else 0
    keep = max(0, min(max_lines, room))
    lines = wrap(tokens, faces, size, width - 3)[:keep]
    while lines:
        got = _layout(text, lines, faces, size, box, pitch, align, True)
        if got is not None:
            return got
        lines = lines[:-1]
    return None
