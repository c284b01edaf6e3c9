"""Notifications: the in-app centre, e-mail through an idempotent outbox, per-kind preferences, a daily digest,
and following creators. Other apps call :func:`courseplatform.notifications.services.notify` with a kind from
:mod:`courseplatform.notifications.kinds` (or one they register there)."""
