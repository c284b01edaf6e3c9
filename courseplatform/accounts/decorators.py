"""View guards shared by the apps: anonymous visitors get the log-in page, a logged-in user who lacks the role a
plain 403 (a page they may not use is refused, not dressed up as a log-in problem)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(allowed: Callable) -> Callable:
    """A view decorator letting through logged-in users for whom ``allowed(user)`` is true."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


#: staff pages (review queue, recommender versions)
staff_required = role_required(lambda user: user.is_staff)
