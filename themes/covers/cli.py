"""Command line: ``python -m themes.covers --title T ... --out FILE`` and ``--list-layouts`` (no Django)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .layouts import available_layouts, get_layout
from .logo import LogoError
from .render import render_cover_bytes
from .spec import FORMATS, SIZES, CoverSpec, resolve_palette


def parse_size(value: str) -> tuple[int, int]:
    """``1280x720`` or a named size (card, social, thumb)."""
    if value in SIZES:
        return SIZES[value]
    try:
        w, h = value.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720 or be one of {', '.join(SIZES)}") from None


def load_palette(path: str) -> dict[str, str]:
    """Palette roles from the palette engine's JSON (first candidate's ``colors``) or a flat role dict."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read palette file {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"palette file {path} is not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("palettes"), list):
        if not data["palettes"]:
            raise ValueError(f"palette file {path} has no candidates")
        first = data["palettes"][0]
        data = first.get("colors") if isinstance(first, dict) else None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"palette file {path} must hold {{'palettes': [{{'colors': {{role: '#rrggbb'}}}}]}} "
                         "or a flat {role: '#rrggbb'} object")
    resolve_palette(data)  # validates the hex values
    return data


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m themes.covers", description="Render a course cover image.")
    p.add_argument("--list-layouts", action="store_true", help="print the available layouts and exit")
    p.add_argument("--title", help="course title (required unless --list-layouts)")
    p.add_argument("--subtitle", default="")
    p.add_argument("--creator", default="")
    p.add_argument("--category", default="")
    p.add_argument("--course-id", default="0", help="seeds the geometric pattern")
    p.add_argument("--palette", help="palette JSON file (palette engine output or flat role dict)")
    p.add_argument("--logo", help="PNG/JPEG/WebP logo file")
    p.add_argument("--layout", default="gradient-band")
    p.add_argument("--size", type=parse_size, default=SIZES["card"], help="WxH or card/social/thumb")
    p.add_argument("--format", choices=sorted(FORMATS), help="default: from --out's extension, else webp")
    p.add_argument("--out", help="output file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_layouts:
        for name in available_layouts():
            print(f"{name}\t{get_layout(name).label}")
        return 0
    if args.title is None or not args.out:
        parser.error("--title and --out are required (or use --list-layouts)")
    fmt = args.format
    if fmt is None:
        ext = Path(args.out).suffix.lower().lstrip(".")
        fmt = {"jpg": "jpeg"}.get(ext, ext) if ext in ("webp", "png", "jpg", "jpeg") else "webp"
    try:
        get_layout(args.layout)
        palette = load_palette(args.palette) if args.palette else {}
        logo = Path(args.logo).read_bytes() if args.logo else None
        spec = CoverSpec(title=args.title, subtitle=args.subtitle, creator=args.creator, category=args.category,
                         course_id=args.course_id, logo=logo, palette=palette, layout=args.layout,
                         size=args.size, format=fmt)
        encoded = render_cover_bytes(spec)
    except (ValueError, LogoError, OSError) as exc:
        parser.error(str(exc))
    try:
        Path(args.out).write_bytes(encoded.data)
    except OSError as exc:
        parser.error(f"cannot write {args.out}: {exc.strerror or exc}")
    print(f"{args.out}\t{encoded.content_type}\t{len(encoded.data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
