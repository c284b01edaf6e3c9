"""Palette A/B experiments, the feedback loop into the palette brief's defaults, and creator analytics.

Pure modules (no Django): :mod:`.stats` (tests and confidence intervals), :mod:`.assignment` (hashing
visitors into variants) and :mod:`.feedback` (fitting α, β, γ from finished experiments).
"""
