"""Signed unsubscribe tokens (django.core.signing with its own salt): a token names one user and one kind, so
changing either breaks the signature; it does not expire (a link in an old mail must keep working)."""

from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str]:
    """``(user id, kind)``; raises ``signing.BadSignature`` for anything not signed by us."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], data["k"]
