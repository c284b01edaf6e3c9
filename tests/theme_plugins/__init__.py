"""A tiny third-party-style theme plugin package used by the plugin tests."""
