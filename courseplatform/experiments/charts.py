"""Server-rendered PNG charts (matplotlib's Agg backend through the object API: no pyplot, no global state,
safe in threaded web servers). matplotlib itself is imported on the first chart (it builds a font cache), so
only chart requests pay for it, not every web process at start-up."""

import functools
import io
import os
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont

# the self-hosted Chinese subset the pages use; FreeType cannot read WOFF2, so charts get a TrueType copy of it
CJK_SUBSET = Path(__file__).resolve().parent.parent / "static" / "fonts" / "NotoSansSC-Subset.woff2"

COLORS = ("#1e63c4", "#b4235a", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f")


@functools.cache
def _cjk_subset_family() -> str | None:
    """Registers the shipped CJK subset with matplotlib (once per process) and names its family, so Chinese
    titles are drawn on a machine with no CJK font installed instead of as empty boxes."""
    from matplotlib import font_manager

    if not CJK_SUBSET.exists():
        return None
    stat = CJK_SUBSET.stat()
    target = Path(settings.VAR_DIR) / "cache" / "fonts" / f"{CJK_SUBSET.stem}-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(CJK_SUBSET)
        font.flavor = None
        partial = target.with_suffix(f".{os.getpid()}.part")
        font.save(partial)
        os.replace(partial, target)  # atomic: concurrent first charts never read a half-written file
    font_manager.fontManager.addfont(str(target))
    return font_manager.FontProperties(fname=str(target)).get_name()


def _figure(width: float, height: float, rows: int = 1):
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    subset = _cjk_subset_family()
    names = {f.name for f in font_manager.fontManager.ttflist}
    families = [n for n in ("DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", subset) if n and n in names]
    families = families or ["sans-serif"]  # per-text font lists: Chinese titles fall back to a CJK font
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, squeeze=False)[:, 0]
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
        for label in [ax.title, ax.xaxis.label, ax.yaxis.label]:
            label.set_family(families)
    return figure, axes, families


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def experiment_chart(results: dict) -> bytes:
    """Click-through and enrolment rate per variant with 95 % Wilson intervals as error bars."""
    figure, (ax,), families = _figure(7, 3.6)
    variants = results["variants"]
    keys = [r.variant.key for r in variants]
    width = 0.38
    for offset, (label, rate, interval, color) in enumerate([
            (_("Click-through"), "click_rate", "click_interval", COLORS[0]),
            (_("Enrolment"), "enroll_rate", "enroll_interval", COLORS[1])]):
        xs = [i + (offset - 0.5) * width for i in range(len(keys))]
        ys = [100 * getattr(r, rate) for r in variants]
        low = [max(0.0, y - 100 * getattr(r, interval)[0]) for y, r in zip(ys, variants, strict=True)]
        high = [max(0.0, 100 * getattr(r, interval)[1] - y) for y, r in zip(ys, variants, strict=True)]
        ax.bar(xs, ys, width, yerr=[low, high], capsize=4, color=color, label=label)
    ax.set_xticks(range(len(keys)), [_("Variant %(key)s") % {"key": k} for k in keys],
                  fontfamily=families)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_("rate (%), with 95 % confidence interval"))
    ax.legend(frameon=False, prop={"family": families})
    return _png(figure)


def over_time_chart(points, period: str) -> bytes:
    """Enrolments (bars), revenue and click-through (lines) per day or week."""
    figure, axes, _families = _figure(8, 6.4, rows=3)
    dates = [p[0] for p in points]
    width = 5.5 if period == "week" else 0.8
    axes[0].bar(dates, [p[1].enrolments for p in points], width=width, color=COLORS[0])
    axes[0].set_ylabel(_("enrolments"))
    axes[1].plot(dates, [float(p[1].revenue) for p in points], color=COLORS[2], marker=".")
    axes[1].set_ylabel(_("revenue"))
    axes[2].plot(dates, [100 * p[1].click_through for p in points], color=COLORS[1], marker=".")
    axes[2].set_ylabel(_("click-through (%)"))
    from matplotlib.ticker import MaxNLocator

    axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes:
        ax.set_ylim(bottom=0)
        ax.tick_params(axis="x", labelsize=8)
    figure.autofmt_xdate()
    return _png(figure)


def by_course_chart(rows, limit: int = 15) -> bytes:
    """Enrolments per course (the ``limit`` courses with most), horizontal bars."""
    rows = list(rows)[:limit]
    figure, (ax,), families = _figure(8, max(2.0, 0.4 * len(rows) + 1))
    titles = [(t if len(t) <= 40 else t[:39] + "…") for _cid, t, _r in rows][::-1]
    ax.barh(range(len(rows)), [r.enrolments for _c, _t, r in rows][::-1], color=COLORS[0])
    ax.set_yticks(range(len(rows)), titles, fontfamily=families, fontsize=8)
    from matplotlib.ticker import MaxNLocator

    ax.set_xlim(left=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_("enrolments"))
    return _png(figure)


def by_variant_chart(rows) -> bytes:
    """Enrolment rate per experiment variant."""
    figure, (ax,), families = _figure(8, max(2.0, 0.4 * len(rows) + 1))
    labels = [f"{r['experiment'].name[:30]} · {r['variant'].key}" for r in rows][::-1]
    ax.barh(range(len(rows)), [100 * r["enroll_rate"] for r in rows][::-1],
            color=[COLORS[i % len(COLORS)] for i in range(len(rows))][::-1])
    ax.set_yticks(range(len(rows)), labels, fontfamily=families, fontsize=8)
    ax.set_xlim(left=0)
    ax.set_xlabel(_("enrolment rate (%)"))
    return _png(figure)
