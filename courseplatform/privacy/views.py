"""The privacy page (tracking choice, export, deletion), the banner's form and the archive download."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.learning.storage import private_storage

from . import consent, selectors, services
from .forms import ConsentForm, DeleteAccountForm
from .models import ExportStatus

DOWNLOAD_SALT = "privacy.export.download"


def download_token(export) -> str:
    """A link token for ``export``: signed and timestamped, refused after the export's lifetime."""
    return signing.dumps(str(export.token), salt=DOWNLOAD_SALT, compress=False)


def _safe_next(request, value: str) -> str:
    if value and value.startswith("/") and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return value
    return reverse("privacy:settings")


def _export_context(request) -> dict:
    export = selectors.latest_export(request.user)
    ready = export is not None and export.status == ExportStatus.READY and export.expires_at > timezone.now()
    return {"export": export, "export_ready": ready,
            "download_url": reverse("privacy:export_download", args=[download_token(export)]) if ready else ""}


@require_GET
def privacy_settings(request):
    choice = consent.visitor_choice(request)
    current = {True: consent.GRANTED, False: consent.DENIED}.get(choice)  # the radios show the choice made
    context = {"consent_form": ConsentForm(initial={"next": request.get_full_path(), "choice": current}),
               "choice": choice, "consent_required": consent.consent_required()}
    if request.user.is_authenticated:
        context.update(_export_context(request))
    return render(request, "privacy/settings.html", context)


@require_POST
def consent_choose(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/settings.html", {"consent_form": form, "choice": None,
                                                         "consent_required": consent.consent_required()},
                      status=400)
    response = redirect(_safe_next(request, form.cleaned_data["next"]))
    services.consent_set(request=request, response=response, granted=form.cleaned_data["choice"] == consent.GRANTED)
    messages.success(request, _("Your privacy choice is saved. You can change it at any time on the privacy page."))
    return response


@login_required
@require_POST
def export_request(request):
    services.export_request(user=request.user)
    messages.info(request, _("We are preparing your data. The download link appears here when it is ready."))
    return redirect(reverse("privacy:settings") + "#export")


@login_required
@require_GET
def export_status(request):
    return render(request, "privacy/_export.html", _export_context(request))


@login_required
@require_GET
def export_download(request, token: str):
    try:
        value = signing.loads(token, salt=DOWNLOAD_SALT, max_age=services.export_ttl())
    except signing.SignatureExpired:
        return render(request, "privacy/link_expired.html", status=410)
    except signing.BadSignature:
        raise Http404 from None
    export = selectors.export_for_download(value, request.user)
    if export is None:  # someone else's, or not ready: not revealed
        raise Http404
    if export.expires_at is None or export.expires_at <= timezone.now() or not export.file_name:
        return render(request, "privacy/link_expired.html", status=410)
    try:
        handle = private_storage.open(export.file_name, "rb")
    except FileNotFoundError:
        return render(request, "privacy/link_expired.html", status=410)
    stamp = export.finished_at.strftime("%Y%m%d") if export.finished_at else "export"
    response = FileResponse(handle, as_attachment=True, filename=f"my-data-{stamp}.zip",
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST":
        if form.is_valid():
            services.account_erase(user=request.user, reviews=form.cleaned_data["reviews"])
            logout(request)
            messages.success(request, _("Your account and personal data have been deleted."))
            return redirect("catalog:home")
        status = 400
    else:
        status = 200
    return render(request, "privacy/delete_account.html",
                  {"form": form, "summary": selectors.deletion_summary(request.user)}, status=status)
