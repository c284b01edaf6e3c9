"""Cover renderer benchmark: median/p95 ms per 1280x720 cover beside a bare-Pillow floor, on one core.

Run: ``.venv/bin/python bench/covers.py [--repeat 40]``. Prints a table and writes ``var/bench/covers.json``.

The floor is what any cover costs at minimum: a flat 1280x720 image, one line of text in the same font, encoded
with the same encoder parameters. Ratios are taken within one run because these machines are noisy. Every cover
timed has a title, subtitle and course of its own (since issue 17: the same 12 specs used to repeat, which the
renderer's glyph-mask and text-fit memos would now serve from memory).
Target (issue 5): render+encode WebP within 2.5x of the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from themes.covers import (  # noqa: E402
    CARD_SIZE,
    RENDERER_VERSION,
    CoverSpec,
    encode,
    render_cover,
    render_many,
)
from themes.covers.fonts import Face, find_font, get_font  # noqa: E402

FORMATS = ("webp", "png", "jpeg")
TARGET_WEBP_RATIO = 2.5
PALETTE = {"background": "#f7f5ef", "surface": "#ece7da", "text": "#1d2433", "primary": "#1f4e8c",
           "secondary": "#2a7f8f", "accent": "#f2a541"}
TITLES = [
    ("Practical Machine Learning with Python", "From linear models to gradient boosting"),
    ("零基础学Python：从入门到精通", "三十天掌握编程思维"),
    ("Watercolour for Absolute Beginners", "Loose florals in ten lessons"),
    ("The Complete Guide to Modern Web Development with Django and React", "Build and deploy real apps"),
]
LAYOUTS = ("gradient-band", "geometric", "split")


def sample_specs(fmt: str = "webp") -> list[CoverSpec]:
    """A fixed, varied set of card-size specs (every layout, English and Chinese titles)."""
    out = []
    for i, (title, sub) in enumerate(TITLES):
        for layout in LAYOUTS:
            out.append(CoverSpec(title=title, subtitle=sub, creator="Ada Lovelace", category="Programming",
                                 course_id=i * 10 + len(out), palette=PALETTE, layout=layout, size=CARD_SIZE,
                                 format=fmt))
    return out


def nth(specs: list[CoverSpec], i: int) -> CoverSpec:
    """The i-th cover timed: the specs in turn, each with a title, subtitle and course of its own (numbered at the start
    and the end, so no line repeats), as in a storefront; the renderer's per-process memos (backgrounds per
    palette and size, glyph masks and fits of repeated texts) then help only where a real re-render lets them."""
    spec = specs[i % len(specs)]
    return replace(spec, title=f"{i}. {spec.title} {i}", subtitle=f"{i}: {spec.subtitle} {i}", course_id=i)


def floor_image() -> Image.Image:
    """Bare-Pillow floor: a flat image with one line of text in the renderer's title font."""
    path = find_font("cjk", "bold") or find_font("latin", "bold") or ""
    font = get_font(Face(path, 2 if path.endswith(".ttc") else 0), 72)
    im = Image.new("RGB", CARD_SIZE, (31, 78, 140))
    ImageDraw.Draw(im).text((80, 320), "Practical Machine Learning", fill=(255, 255, 255), font=font)
    return im


def timed(fn: Callable[[int], object], repeat: int, warmup: int = 3) -> dict[str, float]:
    for i in range(warmup):
        fn(repeat + i)  # numbers the timed calls do not use: every cover timed is drawn for the first time
    samples = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"median_ms": statistics.median(samples), "p95_ms": p95, "n": repeat}


def run(repeat: int) -> dict[str, object]:
    specs = {fmt: sample_specs(fmt) for fmt in FORMATS}
    rows: list[dict[str, object]] = []
    floor_render = timed(lambda i: floor_image(), repeat)
    cover_render = timed(lambda i: render_cover(nth(specs["webp"], i)), repeat)
    rows.append({"case": "render only", "format": "-", "floor": floor_render, "cover": cover_render,
                 "ratio": cover_render["median_ms"] / floor_render["median_ms"]})
    for fmt in FORMATS:
        floor = timed(lambda i, f=fmt: encode(floor_image(), f), repeat)
        cover = timed(lambda i, f=fmt: render_many([nth(specs[f], i)]), repeat)
        rows.append({"case": "render+encode", "format": fmt, "floor": floor, "cover": cover,
                     "ratio": cover["median_ms"] / floor["median_ms"]})
    webp = next(r for r in rows if r["format"] == "webp")
    return {
        "benchmark": "covers", "renderer_version": RENDERER_VERSION, "size": list(CARD_SIZE),
        "python": platform.python_version(), "pillow": Image.__version__,
        "cpu_affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "rows": rows, "target_webp_ratio": TARGET_WEBP_RATIO,
        "webp_within_target": webp["ratio"] <= TARGET_WEBP_RATIO,
    }


ENCODER_TRIALS: dict[str, list[dict[str, object]]] = {
    "webp": [{"quality": 85, "method": m} for m in (4, 3, 2, 1, 0)] + [{"quality": 80, "method": 2},
                                                                       {"quality": 90, "method": 2}],
    "png": [{"compress_level": n} for n in (6, 3, 1)],
    "jpeg": [{"quality": 88, "subsampling": 0}, {"quality": 85, "subsampling": 2},
             {"quality": 88, "subsampling": 0, "optimize": True}],
}


def encoder_table() -> list[dict[str, object]]:
    """Encode time, size and PSNR (against the rendered pixels) of each trial setting, on covers of every layout
    in the three platform sizes: what ``themes.covers.render.ENCODER_PARAMS`` was chosen from."""
    import io

    import numpy as np

    from themes.covers.render import ENCODER_PARAMS

    sizes = [(1280, 720), (1200, 630), (480, 270)]
    images = [render_cover(CoverSpec(title=t, subtitle=sub, creator="Ada Lovelace", category="Programming",
                                     course_id=k, palette=PALETTE, layout=layout, size=size, format="webp"))
              for k, ((t, sub), layout, size) in enumerate((x, y, z) for x in TITLES for y in LAYOUTS for z in sizes)]
    rows = []
    for fmt, trials in ENCODER_TRIALS.items():
        for params in trials:
            t0 = time.process_time()
            blobs = []
            for im in images:
                buf = io.BytesIO()
                im.save(buf, format=fmt.upper(), **params)
                blobs.append(buf.getvalue())
            ms = (time.process_time() - t0) * 1000 / len(images)
            psnr = []
            for im, blob in zip(images, blobs, strict=True):
                a = np.asarray(im, dtype=np.float32)
                b = np.asarray(Image.open(io.BytesIO(blob)).convert("RGB"), dtype=np.float32)
                mse = float(((a - b) ** 2).mean())
                psnr.append(99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse))
            chosen = all(ENCODER_PARAMS[fmt].get(k) == v for k, v in params.items())
            rows.append({"format": fmt, "params": params, "ms": ms, "kib": sum(map(len, blobs)) / len(blobs) / 1024,
                         "psnr_mean": float(np.mean(psnr)), "psnr_min": float(np.min(psnr)), "chosen": chosen})
    print(f"\nencoder settings, {len(images)} covers (every layout, 3 sizes); PSNR against the rendered pixels")
    print(f"{'format':<7}{'settings':<52}{'ms':>7}{'KiB':>8}{'PSNR':>7}{'min':>7}  chosen")
    for r in rows:
        print(f"{r['format']:<7}{str(r['params']):<52}{r['ms']:>7.1f}{r['kib']:>8.1f}{r['psnr_mean']:>7.1f}"
              f"{r['psnr_min']:>7.1f}  {'*' if r['chosen'] else ''}")
    return rows


def print_table(result: dict[str, object]) -> None:
    print(f"covers benchmark, {result['size'][0]}x{result['size'][1]}, one core {result['cpu_affinity']}, "  # type: ignore[index]
          f"Pillow {result['pillow']}")
    head = f"{'case':<15}{'format':<8}{'floor med':>10}{'floor p95':>10}{'cover med':>10}{'cover p95':>10}{'ratio':>8}"
    print(head)
    print("-" * len(head))
    for r in result["rows"]:  # type: ignore[attr-defined]
        f, c = r["floor"], r["cover"]
        print(f"{r['case']:<15}{r['format']:<8}{f['median_ms']:>10.1f}{f['p95_ms']:>10.1f}{c['median_ms']:>10.1f}"
              f"{c['p95_ms']:>10.1f}{r['ratio']:>7.2f}x")
    verdict = "PASS" if result["webp_within_target"] else "MISS"
    print(f"target: render+encode WebP <= {result['target_webp_ratio']}x floor -> {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "covers.json"))
    parser.add_argument("--encoders", action="store_true", help="also print the encoder settings table")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    result = run(args.repeat)
    print_table(result)
    if args.encoders:
        result["encoders"] = encoder_table()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"saved {out}")


if __name__ == "__main__":
    main()
