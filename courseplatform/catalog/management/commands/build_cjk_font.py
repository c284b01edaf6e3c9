"""Build the self-hosted Chinese web font ``static/fonts/NotoSansSC-Subset.woff2``.

Source: Noto Sans CJK SC Regular, the "Noto Sans CJK SC" face of Debian's ``fonts-noto-cjk``
``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc`` when installed, else the same design shipped with the
cover renderer, ``themes/covers/font_files/NotoSansSC-Regular.ttf`` (Noto Sans SC; Adobe/Google, SIL Open Font
License 1.1; the licence text ships beside the output as ``OFL.txt``), so a fresh machine can rebuild it. Build-time only: needs ``fonttools[woff]``
from requirements/dev.txt. The subset keeps ASCII, Chinese punctuation, full-width forms, the 3,755
GB2312 level-1 hanzi and every character of the zh_Hans catalogue and the demo data, so re-run this after
adding translations (tests/test_cjk_font.py fails until then). Only a Regular weight is built; browsers
synthesise bold.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEBIAN_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SHIPPED_SOURCE = Path(settings.BASE_DIR) / "themes" / "covers" / "font_files" / "NotoSansSC-Regular.ttf"
SOURCE = DEBIAN_SOURCE if Path(DEBIAN_SOURCE).exists() else str(SHIPPED_SOURCE)
FAMILY = "Noto Sans CJK SC"
OUTPUT = Path(settings.BASE_DIR) / "courseplatform" / "static" / "fonts" / "NotoSansSC-Subset.woff2"
TEXT_SOURCES = [  # every character of these files is kept (the .po's msgstrs, the demo data's Chinese)
    "locale/zh_Hans/LC_MESSAGES/django.po",
    "courseplatform/demo/data.py",
    "courseplatform/demo/steps.py",
]
CHINESE_PUNCTUATION = "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026"  # ·—‘’“”… (general punctuation)


def gb2312_level1() -> str:
    """The 3,755 common hanzi of GB2312 level 1 (rows 0xB0-0xD7, cells 0xA1-0xFE; 0xD7FA-0xD7FE are empty)."""
    chars = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def wanted_codepoints() -> set[int]:
    text = "".join(map(chr, range(0x20, 0x7F))) + CHINESE_PUNCTUATION + gb2312_level1()
    text += "".join(map(chr, range(0x3000, 0x3040))) + "".join(map(chr, range(0xFF00, 0xFFF0)))
    for name in TEXT_SOURCES:
        text += (Path(settings.BASE_DIR) / name).read_text(encoding="utf-8")
    return {ord(c) for c in text if c.isprintable() or c == " "}


class Command(BaseCommand):
    help = "Subset Noto Sans CJK SC Regular to static/fonts/NotoSansSC-Subset.woff2 (needs requirements/dev.txt)."

    def add_arguments(self, parser):
        parser.add_argument("--source", default=SOURCE, help="a .ttc/.otf holding the Noto Sans CJK SC face")
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args, **options):
        try:
            from fontTools import subset
            from fontTools.ttLib import TTCollection, TTFont
        except ImportError as exc:
            raise CommandError("fontTools is missing: pip install -r requirements/dev.txt") from exc

        source = options["source"]
        if source.lower().endswith((".ttc", ".otc")):  # find the SC face of the collection by its family name
            faces = [face["name"].getDebugName(1) for face in TTCollection(source, lazy=True).fonts]
            if FAMILY not in faces:
                raise CommandError(f"{source} has no {FAMILY!r} face (faces: {faces})")
            font = TTFont(source, fontNumber=faces.index(FAMILY))
        else:
            font = TTFont(source)
        logging.getLogger("fontTools").setLevel(logging.WARNING)  # the subsetter logs every pruned table
        codepoints = wanted_codepoints()
        options_ = subset.Options(flavor="woff2", hinting=False, desubroutinize=True)
        subsetter = subset.Subsetter(options_)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        out = Path(options["output"])
        out.parent.mkdir(parents=True, exist_ok=True)
        font.flavor = "woff2"
        font.recalcTimestamp = False  # keep the source's head.modified: same inputs, same bytes
        font.save(out)
        kept = len(font.getBestCmap())
        self.stdout.write(self.style.SUCCESS(f"{out}: {kept} characters, {out.stat().st_size:,} bytes"))
