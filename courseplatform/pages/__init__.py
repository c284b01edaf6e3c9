"""Storefront page builder: ordered sections (theme plugins), drafts, published versions, newsletter sign-ups."""
