"""The course platform: Django wiring at this package's root, the marketplace core in its sub-apps.

Named ``courseplatform`` rather than ``platform`` because Python's standard library owns ``platform``.
"""
