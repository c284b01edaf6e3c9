"""View guards. Object ownership is enforced by fetching through ``owned_by`` selectors (→ 404)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def creator_required(view):
    """Logged-in creators (or staff) only; learners get 403, anonymous visitors the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_creator or user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
