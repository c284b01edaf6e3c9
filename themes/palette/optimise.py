"""Batched multi-start optimisation of U(S), then repair, ranking and diverse selection.

All starts are optimised together as one tensor with Adam (Kingma & Ba 2015) on the logits of linear RGB:
``lin = sigmoid(z)`` keeps every colour inside the sRGB gamut by construction. Locked slots are constants.
Random starts come from a seeded ``torch.Generator`` on the chosen device, so a seed and device give the same
palettes every time.

Slots of the optimised tensor: 0-2 light background/surface/text, 3-5 dark background/surface/text, then the
chromatic roles of the light variant (primary first), then the dark variant's own secondary/accent roles. The
primary is shared by both variants (repair may change the primary of one variant only); secondary and accent
roles have a tone per variant in the same hue family (lighter on dark grounds, as Material 3 takes tone 40 for
light and tone 80 for dark), so each variant's accents can be legible and harmonious on its own ground. A
locked secondary/accent is the same exact colour in both variants.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

import torch

from .brief import Brief
from .colorspace import hex_to_linear, linear_to_oklab, oklab_to_xyz, srgb_to_linear, xyz_to_linear
from .lexicon import lookup
from .objective import INK_L, PENALTY_WEIGHT, Context, evaluate, scores
from .plan import Plan, plan_locks
from .repair import repair_variant
from .result import Result, build_result, meets_aims, select_diverse
from .roles import NEUTRAL_ROLES
from .scheme import NEUTRAL_TINT, SCHEMES, resolve_scheme

#: Adam step size, cosine-annealed (Loshchilov & Hutter 2017) from _LR to _LR * _LR_FLOOR.
_LR = 0.25
_LR_FLOOR = 0.1
#: sRGB ranges for initial neutrals: light bg, surface, text; dark bg, surface, text.
_NEUTRAL_INIT = ((0.88, 1.0), (0.82, 1.0), (0.0, 0.35), (0.0, 0.2), (0.05, 0.3), (0.75, 1.0))
#: OKLab lightness ranges of the tinted neutral starts, same order; dark grounds start as a dimmed charcoal
#: (see :data:`themes.palette.objective.DARK_GROUND_MAX_L`).
_NEUTRAL_L = ((0.95, 0.995), (0.90, 0.97), INK_L["light"], (0.20, 0.27), (0.26, 0.33), INK_L["dark"])
#: Share of starts whose free secondary/accent roles begin on the scheme's hue sectors (the rest uniform).
_SCHEME_SHARE = 0.75
#: Optimisation stops at this fraction of ``deadline_s``; the rest is left for repair and selection.
_DEADLINE_SHARE = 0.6
_THREADED_STARTS = 16_384


def _cpu_threads(starts: int, current: int) -> int:
    """Intra-op threads for a CPU run: one below 16k starts (the tensors are small, and OpenMP spin-waits make
    two threads ten times slower than one when the cores are shared), else up to the cores this process may use."""
    if starts < _THREADED_STARTS:
        return 1
    avail = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(current, avail))


def resolve_device(name: str) -> torch.device:
    """``auto`` -> cuda when available, else cpu. An explicit unavailable ``cuda`` is a ``ValueError``."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("device 'cuda' was requested but CUDA is not available here; use --device cpu or auto")
    return torch.device(name)


class _Adam:
    """Adam (Kingma & Ba 2015, Algorithm 1) on one tensor. Written out because ``torch.optim`` imports
    ``torch._dynamo`` on first use, which costs over a second of start-up on a small CPU."""

    def __init__(self, z: torch.Tensor, lr: float, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.z, self.lr, self.b1, self.b2, self.eps = z, lr, betas[0], betas[1], eps
        self.m = torch.zeros_like(z)
        self.v = torch.zeros_like(z)
        self.t = 0

    @torch.no_grad()
    def step(self, grad: torch.Tensor) -> None:
        self.t += 1
        self.m.mul_(self.b1).add_(grad, alpha=1 - self.b1)
        self.v.mul_(self.b2).addcmul_(grad, grad, value=1 - self.b2)
        m_hat = self.m / (1 - self.b1**self.t)
        v_hat = self.v / (1 - self.b2**self.t)
        self.z.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))


def _split(full: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Slots (batch, 6 + 2 n_chrom - 1, 3) -> light and dark variant palettes (batch, 3 + n_chrom, 3)."""
    n_chrom = (full.shape[1] - 5) // 2
    light = torch.cat((full[:, 0:3], full[:, 6 : 6 + n_chrom]), 1)
    dark = torch.cat((full[:, 3:6], full[:, 6:7], full[:, 6 + n_chrom :]), 1)
    return light, dark


class _Problem:
    def __init__(self, brief: Brief, plan: Plan, device: torch.device, dtype: torch.dtype) -> None:
        self.plan, self.device, self.dtype = plan, device, dtype
        self.n_slots = 6 + 2 * plan.n_chrom - 1
        mask = torch.zeros(self.n_slots, dtype=torch.bool)
        values = torch.zeros(self.n_slots, 3, dtype=torch.float64)
        for offset, variant in ((0, "light"), (3, "dark")):
            for row, h in plan.neutral_locks[variant].items():
                mask[offset + row], values[offset + row] = True, hex_to_linear(h)
        for i, h in plan.chrom_locks.items():
            mask[6 + i], values[6 + i] = True, hex_to_linear(h)
            if i > 0:  # the dark variant's tone of a locked role is the same exact colour
                j = 6 + plan.n_chrom + i - 1
                mask[j], values[j] = True, hex_to_linear(h)
        self.lock_mask = mask.to(device)
        self.lock_values = values.to(device=device, dtype=dtype)
        # Colours locked to a neutral role are not chromatic seeds (a cream background is not an accent aim).
        neutral_locked = {h for h, role in brief.resolved_locks() if role in NEUTRAL_ROLES}
        seeds = [h for h in brief.brand_hexes() if h not in neutral_locked]
        regions, self.unknown = lookup(brief.keywords)
        self.seed_hexes = seeds
        self.scheme = resolve_scheme(brief.scheme, regions)
        locked_primary = 0 in plan.chrom_locks
        self.ctx = Context(
            alpha=float(brief.alpha),
            beta=float(brief.beta),
            gamma=float(brief.gamma),
            seeds_lin=hex_to_linear(seeds).to(device=device, dtype=dtype) if seeds else None,
            regions=regions,
            primary_must_hold={v: (not locked_primary) or plan.primary_exact[v] for v in ("light", "dark")},
            surface_merged=plan.surface_merged,
            scheme=self.scheme,
            pick=plan.n_chrom,
            terms=list(brief.terms or []),
        )
        # The brand hue family: the locked primary's or the first seed's hue; without a chromatic seed, the
        # first keyword region's hue for most starts (keywords are then the brand); else random per start.
        anchor = plan.chrom_locks.get(0) or next(iter(seeds), None)
        self.anchor_hue: float | None = None
        self.anchor_share = 1.0
        if anchor is not None:
            ok = linear_to_oklab(hex_to_linear(anchor))
            if float(ok[1:].norm()) > 0.04:
                self.anchor_hue = math.atan2(float(ok[2]), float(ok[1]))
        if self.anchor_hue is None and anchor is None:
            hue = next((r.hue for r in regions if r.hue is not None), None)
            if hue is not None:
                self.anchor_hue, self.anchor_share = math.radians(hue), 0.75

    def init_logits(self, starts: int, generator: torch.Generator) -> torch.Tensor:
        u = torch.rand(starts, self.n_slots, 3, generator=generator, device=self.device, dtype=self.dtype)
        lo = torch.tensor([r[0] for r in _NEUTRAL_INIT] + [0.05] * (self.n_slots - 6), dtype=self.dtype)
        hi = torch.tensor([r[1] for r in _NEUTRAL_INIT] + [0.95] * (self.n_slots - 6), dtype=self.dtype)
        srgb = lo.to(self.device)[None, :, None] + u * (hi - lo).to(self.device)[None, :, None]
        lin = self._scheme_starts(srgb_to_linear(srgb), generator)
        free_chrom = [i for i in range(self.plan.n_chrom) if i not in self.plan.chrom_locks]
        if self.seed_hexes and free_chrom:
            # Half of the starts put a brand seed (with noise below) into a free chromatic slot; with more seeds
            # than free slots, a quarter fill every free slot with distinct seeds (a random K of the C). An
            # unlocked seed placed in a secondary/accent role starts in both of that role's tones: the dark tone
            # is a slot of its own, and the seed fit is too flat far from a seed for the gradient to bring it
            # there (a locked seed is shown already; its copy seeds the light tone only).
            seeds = hex_to_linear(self.seed_hexes).to(device=self.device, dtype=self.dtype)
            both = [h not in self.plan.chrom_locks.values() for h in self.seed_hexes]
            for s in range(0, starts, 2):
                j = (s // 2) % len(self.seed_hexes)
                slot = free_chrom[(s // (2 * len(self.seed_hexes))) % len(free_chrom)]
                self._place(lin, s, slot, seeds[j], both[j])
            if len(self.seed_hexes) > len(free_chrom):
                for s in range(1, starts, 4):
                    perm = torch.randperm(len(self.seed_hexes), generator=generator, device=self.device)
                    for i, slot in enumerate(free_chrom):
                        self._place(lin, s, slot, seeds[perm[i]], both[int(perm[i])])
        lin = lin.clamp(1e-4, 1 - 1e-4)
        z = torch.log(lin) - torch.log1p(-lin)
        noise = torch.randn(z.shape, generator=generator, device=self.device, dtype=self.dtype)
        return z + 0.15 * noise

    def _place(self, lin: torch.Tensor, start: int, role: int, colour: torch.Tensor, both_tones: bool) -> None:
        """Start chromatic role ``role`` (0 = primary) of one start at ``colour``; with ``both_tones`` the dark
        variant's tone of a secondary/accent role too."""
        lin[start, 6 + role] = colour
        if both_tones and role > 0:
            lin[start, 6 + self.plan.n_chrom + role - 1] = colour

    def _scheme_starts(self, lin: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Neutrals start tinted toward the anchor hue (the locked primary's or first seed's, else a random hue
        per start); in most starts free secondary/accent roles start on the scheme's hue sectors around it."""
        starts, dev, dt = lin.shape[0], self.device, self.dtype

        def rand(*shape: int) -> torch.Tensor:
            return torch.rand(*shape, generator=generator, device=dev, dtype=dt)

        hue = rand(starts) * 2 * math.pi
        if self.anchor_hue is not None:
            anchored = rand(starts) < self.anchor_share
            jitter = 0.0 if self.anchor_share == 1.0 else math.radians(15.0) * (2 * rand(starts) - 1)
            hue = torch.where(anchored, self.anchor_hue + jitter, hue)
        unit = torch.stack((torch.cos(hue), torch.sin(hue)), -1)  # (starts, 2)
        tint = NEUTRAL_TINT["light"] + NEUTRAL_TINT["dark"]
        for slot, (lo, hi) in enumerate(_NEUTRAL_L):
            light = lo + (hi - lo) * rand(starts, 1)
            ab = tint[slot] * unit + 0.004 * (rand(starts, 2) - 0.5)
            lin[:, slot] = _oklab_to_linear(torch.cat((light, ab), -1))
        offsets = torch.tensor(SCHEMES[self.scheme], device=dev, dtype=dt) * (math.pi / 180)
        on_scheme = rand(starts) < _SCHEME_SHARE
        for i in range(self.plan.n_chrom):
            if i in self.plan.chrom_locks:
                continue
            pick = (rand(starts) * len(offsets)).long().clamp(max=len(offsets) - 1)
            h = hue + (offsets[pick] if i > 0 else 0.0) + math.radians(10.0) * (rand(starts) - 0.5) * 2
            light = 0.45 + 0.40 * rand(starts, 1)
            chroma = 0.05 + 0.11 * rand(starts, 1)
            ok = torch.cat((light, chroma * torch.stack((torch.cos(h), torch.sin(h)), -1)), -1)
            lin[:, 6 + i] = torch.where(on_scheme[:, None], _oklab_to_linear(ok), lin[:, 6 + i])
            if i > 0:  # the dark tone: same hue, lighter
                j = 6 + self.plan.n_chrom + i - 1
                ok_dark = torch.cat((0.72 + 0.2 * rand(starts, 1), 0.8 * ok[:, 1:]), -1)
                lin[:, j] = torch.where(on_scheme[:, None], _oklab_to_linear(ok_dark), lin[:, j])
        return lin

    def colours(self, z: torch.Tensor) -> torch.Tensor:
        lin = torch.where(self.lock_mask[None, :, None], self.lock_values[None], torch.sigmoid(z))
        if self.plan.surface_merged:
            lin = torch.cat((lin[:, 0:1], lin[:, 0:1], lin[:, 2:4], lin[:, 3:4], lin[:, 5:]), 1)
        return lin

    def objective(self, z: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        light, dark = _split(self.colours(z))
        s = evaluate(light, dark, self.ctx)
        return s["U"] - PENALTY_WEIGHT * s["P"], s


def _oklab_to_linear(ok: torch.Tensor) -> torch.Tensor:
    return xyz_to_linear(oklab_to_xyz(ok)).clamp(0.0, 1.0)


def generate(brief: Brief, progress: Callable[[float], None] | None = None) -> Result:
    """Optimise U(S) for ``brief`` and return the top ``brief.candidates`` diverse, legal palettes.

    ``progress`` is called with fractions in [0, 1] (non-decreasing, ending at 1.0). ``brief.deadline_s`` is
    honoured: the optimiser stops early and repair still guarantees valid palettes.
    """
    t0 = time.perf_counter()
    brief._validate_fields()
    plan = plan_locks(brief)
    device = resolve_device(brief.device)
    report = progress or (lambda _f: None)
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(_cpu_threads(brief.starts, threads))
    try:
        problem = _Problem(brief, plan, device, torch.float32)
        generator = torch.Generator(device=device).manual_seed(int(brief.seed))
        z = problem.init_logits(brief.starts, generator).requires_grad_(True)
        opt = _Adam(z, _LR)
        steps_done = 0
        for step in range(brief.steps):
            if brief.deadline_s is not None and step > 0:
                if time.perf_counter() - t0 > _DEADLINE_SHARE * brief.deadline_s:
                    break
            soft, _ = problem.objective(z)
            (grad,) = torch.autograd.grad(-soft.sum(), z)
            opt.lr = _LR * (_LR_FLOOR + (1 - _LR_FLOOR) * 0.5 * (1 + math.cos(math.pi * step / brief.steps)))
            opt.step(grad)
            steps_done = step + 1
            report(0.85 * steps_done / brief.steps)
        with torch.no_grad():
            soft, _ = problem.objective(z)
            order = torch.argsort(soft.cpu(), descending=True, stable=True)
            full = problem.colours(z).detach().cpu().to(torch.float64)
        report(0.9)
        ctx64 = problem.ctx
        ctx64.seeds_lin = None if ctx64.seeds_lin is None else ctx64.seeds_lin.cpu().to(torch.float64)
        chosen = _repair_and_select(full, order, plan, ctx64, brief.candidates)
        report(1.0)
        seconds = time.perf_counter() - t0
        return build_result(brief, plan, chosen, ctx64, device, seconds, steps_done, problem.unknown)
    finally:
        torch.set_num_threads(threads)


#: Chunks of starts repaired while looking for candidates that also meet the accent aims.
_AIM_CHUNKS = 2


def _repair_and_select(full: torch.Tensor, order: torch.Tensor, plan: Plan, ctx: Context, n: int) -> list:
    """Repair the best starts chunk by chunk until ``n`` diverse legal palettes are found (or starts run out);
    up to :data:`_AIM_CHUNKS` chunks while fewer than ``n`` of them meet the accent aims."""
    pool: list = []
    chunk = max(8 * n, 64)
    for number, begin in enumerate(range(0, order.numel(), chunk)):
        idx = order[begin : begin + chunk]
        light, dark = _split(full[idx])
        light, ok_l = repair_variant(light, "light", plan.fixed_rows("light"), plan.surface_merged)
        dark, ok_d = repair_variant(dark, "dark", plan.fixed_rows("dark"), plan.surface_merged)
        ok = ok_l & ok_d
        if ok.any():
            light, dark = light[ok], dark[ok]
            s = scores(light, dark, ctx)
            pool.extend(
                (float(s["U"][i]), light[i], dark[i], {key: float(val[i]) for key, val in s.items()})
                for i in range(light.shape[0])
            )
        chosen = select_diverse(pool, plan, n)
        if len(chosen) >= n and (number + 1 >= _AIM_CHUNKS or bool(
                meets_aims(torch.stack([c[1] for c in chosen]), torch.stack([c[2] for c in chosen])).all())):
            return chosen
    if not pool:  # cannot happen for a planned brief; the scaffold is legal by construction
        light, _ = repair_variant(plan.scaffold("light"), "light", plan.fixed_rows("light"), plan.surface_merged)
        dark, _ = repair_variant(plan.scaffold("dark"), "dark", plan.fixed_rows("dark"), plan.surface_merged)
        s = scores(light, dark, ctx)
        pool.append((float(s["U"][0]), light[0], dark[0], {key: float(val[0]) for key, val in s.items()}))
    return select_diverse(pool, plan, n)
