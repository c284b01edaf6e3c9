"""Batched multi-start optimisation of U(S), then repair, ranking and diverse selection.

All starts are optimised together as one tensor with Adam (Kingma & Ba 2015) on the logits of linear RGB:
``lin = sigmoid(z)`` keeps every colour inside the sRGB gamut by construction. Locked slots are constants.
Random starts come from a seeded ``torch.Generator`` on the chosen device, so a seed and device give the same
palettes every time.

Slots of the optimised tensor: 0-2 light background/surface/text, 3-5 dark background/surface/text, then the
chromatic roles (shared by both variants; repair may change the primary of one variant only).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable

import torch

from .brief import Brief
from .colorspace import hex_to_linear, hex_to_srgb, srgb_to_linear
from .lexicon import lookup
from .objective import PENALTY_WEIGHT, Context, evaluate, scores
from .plan import Plan, plan_locks
from .repair import repair_variant
from .result import Result, build_result, select_diverse

#: Adam step size, cosine-annealed (Loshchilov & Hutter 2017) from _LR to _LR * _LR_FLOOR.
_LR = 0.25
_LR_FLOOR = 0.1
#: sRGB ranges for initial neutrals: light bg, surface, text; dark bg, surface, text.
_NEUTRAL_INIT = ((0.88, 1.0), (0.82, 1.0), (0.0, 0.35), (0.0, 0.2), (0.05, 0.3), (0.75, 1.0))
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
    chrom = full[:, 6:]
    return torch.cat((full[:, 0:3], chrom), 1), torch.cat((full[:, 3:6], chrom), 1)


class _Problem:
    def __init__(self, brief: Brief, plan: Plan, device: torch.device, dtype: torch.dtype) -> None:
        self.plan, self.device, self.dtype = plan, device, dtype
        self.n_slots = 6 + plan.n_chrom
        mask = torch.zeros(self.n_slots, dtype=torch.bool)
        values = torch.zeros(self.n_slots, 3, dtype=torch.float64)
        for offset, variant in ((0, "light"), (3, "dark")):
            for row, h in plan.neutral_locks[variant].items():
                mask[offset + row], values[offset + row] = True, hex_to_linear(h)
        for i, h in plan.chrom_locks.items():
            mask[6 + i], values[6 + i] = True, hex_to_linear(h)
        self.lock_mask = mask.to(device)
        self.lock_values = values.to(device=device, dtype=dtype)
        seeds = [h for h in brief.brand_hexes()]
        regions, self.unknown = lookup(brief.keywords)
        self.seed_hexes = seeds
        locked_primary = 0 in plan.chrom_locks
        self.ctx = Context(
            alpha=float(brief.alpha),
            beta=float(brief.beta),
            gamma=float(brief.gamma),
            seeds_lin=hex_to_linear(seeds).to(device=device, dtype=dtype) if seeds else None,
            regions=regions,
            primary_must_hold={v: (not locked_primary) or plan.primary_exact[v] for v in ("light", "dark")},
            surface_merged=plan.surface_merged,
        )

    def init_logits(self, starts: int, generator: torch.Generator) -> torch.Tensor:
        u = torch.rand(starts, self.n_slots, 3, generator=generator, device=self.device, dtype=self.dtype)
        lo = torch.tensor([r[0] for r in _NEUTRAL_INIT] + [0.05] * self.plan.n_chrom, dtype=self.dtype)
        hi = torch.tensor([r[1] for r in _NEUTRAL_INIT] + [0.95] * self.plan.n_chrom, dtype=self.dtype)
        srgb = lo.to(self.device)[None, :, None] + u * (hi - lo).to(self.device)[None, :, None]
        free_chrom = [i for i in range(self.plan.n_chrom) if i not in self.plan.chrom_locks]
        if self.seed_hexes and free_chrom:
            # Half of the starts put a brand seed (with noise below) into a free chromatic slot.
            seeds = hex_to_srgb(self.seed_hexes).to(device=self.device, dtype=self.dtype)
            for s in range(0, starts, 2):
                j = (s // 2) % len(self.seed_hexes)
                slot = 6 + free_chrom[(s // (2 * len(self.seed_hexes))) % len(free_chrom)]
                srgb[s, slot] = seeds[j]
        lin = srgb_to_linear(srgb).clamp(1e-4, 1 - 1e-4)
        z = torch.log(lin) - torch.log1p(-lin)
        noise = torch.randn(z.shape, generator=generator, device=self.device, dtype=self.dtype)
        return z + 0.15 * noise

    def colours(self, z: torch.Tensor) -> torch.Tensor:
        lin = torch.where(self.lock_mask[None, :, None], self.lock_values[None], torch.sigmoid(z))
        if self.plan.surface_merged:
            lin = torch.cat((lin[:, 0:1], lin[:, 0:1], lin[:, 2:4], lin[:, 3:4], lin[:, 5:]), 1)
        return lin

    def objective(self, z: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        light, dark = _split(self.colours(z))
        s = evaluate(light, dark, self.ctx)
        return s["U"] - PENALTY_WEIGHT * s["P"], s


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


def _repair_and_select(full: torch.Tensor, order: torch.Tensor, plan: Plan, ctx: Context, n: int) -> list:
    """Repair the best starts chunk by chunk until ``n`` diverse legal palettes are found (or starts run out)."""
    pool: list = []
    chunk = max(8 * n, 64)
    for begin in range(0, order.numel(), chunk):
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
        if len(chosen) >= n:
            return chosen
    if not pool:  # cannot happen for a planned brief; the scaffold is legal by construction
        light, _ = repair_variant(plan.scaffold("light"), "light", plan.fixed_rows("light"), plan.surface_merged)
        dark, _ = repair_variant(plan.scaffold("dark"), "dark", plan.fixed_rows("dark"), plan.surface_merged)
        s = scores(light, dark, ctx)
        pool.append((float(s["U"][0]), light[0], dark[0], {key: float(val[0]) for key, val in s.items()}))
    return select_diverse(pool, plan, n)
