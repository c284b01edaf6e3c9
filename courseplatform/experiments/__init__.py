"""The A/B experiment framework (assignment, statistics, fixed-horizon verdicts) and creator analytics.

It knows no plugin: what a variant shows (an *arm*) comes from the ``experiment_arm_kinds`` hook
(:mod:`.hookspecs`); the theming plugin contributes palette arms and refits its brief defaults when an experiment
finishes (``themes.experiment_arms``, ``themes.brief_feedback``). Pure modules (no Django): :mod:`.stats` (tests
and confidence intervals) and :mod:`.assignment` (hashing visitors into variants).
"""
