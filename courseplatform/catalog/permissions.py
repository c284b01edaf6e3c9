"""View guards. Object ownership is enforced by fetching through ``owned_by`` selectors (→ 404)."""

from courseplatform.accounts.decorators import role_required

#: the creator studio: creators (or staff); learners get 403, anonymous visitors the log-in page
creator_required = role_required(lambda user: user.is_creator or user.is_staff)
