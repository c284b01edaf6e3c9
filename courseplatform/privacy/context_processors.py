from . import consent


def privacy(request) -> dict:
    """``privacy_banner``: ask this visitor about tracking (not asked yet); ``tracking_allowed``: whether
    templates may include tracking scripts (click beacons)."""
    required = consent.consent_required()
    choice = consent.visitor_choice(request) if required else True
    return {"privacy_banner": required and choice is None, "tracking_allowed": choice is True}
