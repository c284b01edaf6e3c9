"""The interaction log: the one writer of ``Interaction`` rows (see services), their readers (selectors) and the
registry of taggers through which other apps label events without this app knowing them."""
