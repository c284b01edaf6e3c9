from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import throttle
from .client import client_ip
from .forms import SignUpForm, ThrottledAuthenticationForm
from .services import user_sign_up


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("catalog:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and not throttle.sign_up_allowed(client_ip(request)):
        messages.error(request, _("Too many sign-ups from this network. Please try again in an hour."))
        return render(request, "accounts/signup.html", {"form": SignUpForm()}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = user_sign_up(
            username=data["username"],
            email=data.get("email", ""),
            password=data["password1"],
            role=data["role"],
            display_name=data.get("display_name", ""),
            interests=data.get("interests") or (),
        )
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("catalog:studio" if user.is_creator else "catalog:home")
    return render(request, "accounts/signup.html", {"form": form})
