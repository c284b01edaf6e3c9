from themes.plugins.hookspecs import hookimpl


class NoExport:
    slug, label, media_type, filename = "noexport", "No export", "text/plain", "x.txt"


class MissingTemplate:
    slug, label, template, role_map = "ghost", "Ghost", "themes/presets/does-not-exist.html", {"--c-text": "text"}


@hookimpl
def themes_token_exporters():
    return [NoExport()]


@hookimpl
def themes_theme_presets():
    return [MissingTemplate()]
