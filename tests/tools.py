"""What the suite needs from the machine: a missing tool fails its tests, never skips them silently.

``make test`` installs the Debian packages when run as root (scripts/test-deps.sh) and names them otherwise.
A person may opt out of one group knowingly (``SKIP_BROWSER=1``, ``SKIP_OCR=1``): those tests are then reported
as skipped with the reason. Under CI (``CI`` set) nobody opts out: the variables are ignored and a missing tool
fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def opted_out(variable: str) -> bool:
    """True when the person set ``variable`` (to anything but 0) to skip a group of tests; never under CI."""
    return os.environ.get(variable, "") not in ("", "0") and not os.environ.get("CI")


def require(present: bool, what: str, packages: str, opt_out: str | None = None) -> None:
    """Fail a test whose tool is missing, naming the Debian packages; skip it (with the reason, in the summary)
    only when the person opted out with ``opt_out=1`` outside CI."""
    if opt_out and opted_out(opt_out):
        pytest.skip(f"{opt_out} is set: {what} tests skipped on request")
    if not present:
        hint = f"; set {opt_out}=1 to skip these tests knowingly (never under CI)" if opt_out else ""
        pytest.fail(f"{what} is missing: apt-get install {packages} (`make test` run as root installs it){hint}",
                    pytrace=False)


def tesseract_languages() -> set[str]:
    """Languages the installed tesseract can read (empty when tesseract is missing)."""
    binary = shutil.which("tesseract")
    if binary is None:
        return set()
    out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=60)
    return {line.strip() for line in (out.stdout + out.stderr).splitlines()[1:] if line.strip()}


def require_tesseract(*languages: str) -> str:
    """Path of ``tesseract`` with ``languages`` installed."""
    have = tesseract_languages()
    packages = " ".join(["tesseract-ocr", *(f"tesseract-ocr-{lang.replace('_', '-')}" for lang in languages
                                            if lang != "eng")])
    require(all(lang in have for lang in languages), f"tesseract with {', '.join(languages)}", packages,
            "SKIP_OCR")
    return shutil.which("tesseract") or "tesseract"
