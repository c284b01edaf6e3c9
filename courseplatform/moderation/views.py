from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.accounts.decorators import staff_required

from . import selectors, services
from .forms import DecisionForm, ReportForm
from .models import Action, Case, ContentKind

MAX_ID = 2**63 - 1


def _moderator_required(view):
    """Staff with the ``moderation.moderate_content`` permission (others: 403)."""

    @staff_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("moderation.moderate_content"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _content_url(kind: str, content) -> str:
    if kind == ContentKind.PAGE:
        return content.storefront.get_absolute_url()
    if kind == ContentKind.REVIEW:
        return f"{content.course.get_absolute_url()}#review-{content.pk}"
    return content.get_absolute_url()


def _label(kind: str, content) -> str:
    if kind == ContentKind.REVIEW:
        return _("%(learner)s's review of “%(course)s”") % {"learner": content.learner, "course": content.course}
    if kind == ContentKind.PAGE:
        return _("The page of %(storefront)s") % {"storefront": content.storefront}
    return str(content)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind: str, pk: int):
    """The report form: reasons and a note, for signed-in users other than the content's owner."""
    content = selectors.content_for(kind, pk) if pk <= MAX_ID else None
    if content is None or not selectors.publicly_visible(kind, content):
        raise Http404
    own = selectors.owner_id_of(kind, content) == request.user.pk
    form = ReportForm(request.POST or None)
    context = {"form": form, "kind": ContentKind(kind), "content": content, "label": _label(kind, content),
               "content_url": _content_url(kind, content), "own": own}
    if request.method == "GET":
        return render(request, "moderation/report.html", context)
    if not form.is_valid():
        return render(request, "moderation/report.html", context, status=400)
    try:
        _report, created = services.report_submit(reporter=request.user, kind=kind, content=content,
                                                  **form.cleaned_data)
    except services.ReportsRateLimited as limited:
        form.add_error(None, limited.message)
        response = render(request, "moderation/report.html", context, status=429)
        response["Retry-After"] = str(limited.retry_after_s)
        return response
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "moderation/report.html", context, status=400)
    messages.success(request, _("Thank you: moderators will look at your report.") if created else
                     _("You have already reported this; your first report counts."))
    return redirect(context["content_url"])


@_moderator_required
@require_GET
def queue(request):
    """Staff: open cases (most reported first), hidden content, or every case."""
    which = request.GET.get("show", selectors.Queue.OPEN)
    if which not in selectors.Queue.CHOICES:
        which = selectors.Queue.OPEN
    page = Paginator(selectors.queue(which), selectors.QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [(selectors.Queue.OPEN, _("Awaiting review")), (selectors.Queue.HIDDEN, _("Hidden")),
            (selectors.Queue.ALL, _("All cases"))]
    return render(request, "moderation/queue.html", {"page": page, "which": which, "tabs": tabs})


@_moderator_required
@require_GET
def case(request, pk: int):
    """Staff: the content, its reports and its moderation history, and the actions open to this moderator."""
    try:
        item = selectors.case_detail(pk) if pk <= MAX_ID else None
    except Case.DoesNotExist:
        item = None
    if item is None:
        raise Http404
    return _case_page(request, item, DecisionForm())


def _case_page(request, item: Case, form: DecisionForm, status: int = 200):
    actions = [a for a in Action if services.TRANSITIONS[a][0] == item.hidden and (a != Action.DISMISS or item.open)]
    return render(request, "moderation/case.html", {
        "case": item, "form": form, "reports": selectors.case_reports(item),
        "decisions": selectors.case_decisions(item), "reasons": selectors.reason_counts(item),
        "refusal": services.moderation_refusal(item, request.user), "actions": actions}, status=status)


@_moderator_required
@require_POST
def decide(request, pk: int):
    try:
        item = selectors.case_detail(pk) if pk <= MAX_ID else None
    except Case.DoesNotExist:
        item = None
    if item is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _case_page(request, item, form, status=400)
    try:
        services.case_decide(case=item, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error("note" if form.cleaned_data["action"] == Action.HIDE and not form.cleaned_data["note"]
                       else None, error)
        return _case_page(request, item, form, status=400)
    done = {Action.HIDE: _("Hidden. The owner sees your note."), Action.RESTORE: _("Restored. The owner sees your note."),
            Action.DISMISS: _("Reports dismissed; the content stays visible.")}
    messages.success(request, done[form.cleaned_data["action"]])
    return redirect("moderation:case", pk=item.pk)
