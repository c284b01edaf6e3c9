"""Assignment is a pure function of (experiment, visitor): pinned values, the same in any interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from courseplatform.experiments.assignment import assign

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = [("a", 0.5), ("b", 0.3), ("c", 0.2)]
KEYS = [f"s:visitor-{i}" for i in range(40)]
#: computed once from sha256("7:<key>"); a change here re-shuffles every running experiment's visitors
PINNED = "babaaacacaccbbacbcbacbbcccbcaacabbbbaaab"
SCRIPT = (
    "from courseplatform.experiments.assignment import assign;"
    f"print(''.join(assign(7, k, {VARIANTS!r}) for k in {KEYS!r}))"
)


def test_assignment_matches_the_pinned_variants():
    assert "".join(assign(7, key, VARIANTS) for key in KEYS) == PINNED


@pytest.mark.parametrize("hash_seed", ["0", "4242", "random"])
def test_a_fresh_interpreter_with_another_hash_seed_assigns_the_same_variants(hash_seed):
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == PINNED
