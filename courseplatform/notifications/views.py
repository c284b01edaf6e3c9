"""The notification centre, read marks, the settings page (channels, mail language, follows), the unsubscribe
link of every mail, and the follow button. Thin callers of services and selectors."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import kinds, selectors, services, tokens
from .forms import PreferencesForm

PAGE_SIZE = 30


@login_required
@require_GET
def centre(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/centre.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    if not services.mark_read(user=request.user, notification_id=pk):
        raise Http404
    return redirect(_next(request, "notifications:centre"))


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    channels, language = selectors.channels_for(request.user), selectors.mail_language(request.user)
    form = PreferencesForm(request.POST or None, channels=channels, language=language)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.preferences_set(user=request.user, channels=form.channels(),
                                         language=form.cleaned_data["language"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:settings")
        return render(request, "notifications/settings.html",
                      {"form": form, "following": selectors.following(request.user)}, status=400)
    return render(request, "notifications/settings.html",
                  {"form": form, "following": selectors.following(request.user)})


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST (RFC 8058) carries no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":  # a link scanner's GET changes nothing: the page asks for the click
        try:
            tokens.unsubscribe_read(token)
        except signing.BadSignature:
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
        return render(request, "notifications/unsubscribe.html", {"token": token})
    try:
        _user, kind = services.unsubscribe(token)
    except ValidationError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    label = _("the daily digest") if kind == kinds.DIGEST else kinds.get(kind).label
    return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})


@login_required
@require_POST
def follow_toggle(request, pk: int):
    creator = get_object_or_404(get_user_model(), pk=pk)
    try:
        if request.POST.get("action") == "unfollow":
            services.unfollow(follower=request.user, creator=creator)
            messages.success(request, _("You no longer follow %(name)s.") % {"name": creator})
        else:
            services.follow(follower=request.user, creator=creator)
            messages.success(request, _("You follow %(name)s: new courses will be in your notifications.")
                             % {"name": creator})
    except ValidationError as error:
        return render(request, "notifications/follow_refused.html", {"message": " ".join(error.messages)},
                      status=400)
    return redirect(_next(request, "notifications:settings"))


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                    require_https=request.is_secure()):
        return target
    return reverse(default)
