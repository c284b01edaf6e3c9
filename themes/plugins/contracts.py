"""What each plugin kind must provide. Checked at start-up (themes/checks.py) and by the contract test."""

CONTRACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "theme_presets": {"attributes": ("slug", "label", "template", "role_map"), "methods": ()},
    "cover_layouts": {"attributes": ("name", "label"), "methods": ("draw",)},
    "objective_terms": {"attributes": ("name", "label", "weight"), "methods": ("score",)},
    "token_exporters": {"attributes": ("slug", "label", "media_type", "filename"), "methods": ("export",)},
    "page_sections": {"attributes": ("slug", "label", "template"), "methods": ("clean",)},
}


def key_of(kind: str, plugin) -> str:
    return getattr(plugin, "name", None) if kind == "cover_layouts" else getattr(plugin, "slug", None) or getattr(
        plugin, "name", None
    )


def contract_problems(kind: str, plugin) -> list[str]:
    """Names of the attributes or methods ``plugin`` lacks for its kind (empty when it conforms)."""
    contract = CONTRACTS[kind]
    missing = [a for a in contract["attributes"] if getattr(plugin, a, None) in (None, "")]
    missing += [m for m in contract["methods"] if not callable(getattr(plugin, m, None))]
    return missing
