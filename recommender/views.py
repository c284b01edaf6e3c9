"""Staff pages for the recommender: model versions with metrics, "Train now", one-click activation
(rollback) and training runs with their progress. Thin callers of services and selectors.

Mounted by the project at ``staff/recommender/`` (``recommender/staff_urls.py``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courseplatform.accounts.decorators import staff_required

from . import interleaving, selectors, services
from .models import InterleavingExperiment, ModelVersion

METRIC_COLUMNS = ("ndcg@10", "recall@10", "recall@20", "map@10", "auc", "coverage@10")


def _runs_context():
    runs = list(selectors.training_runs(20))
    for run in runs:  # stored in English; shown in the reader's language
        run.reason_display = services.note_display(run.reason)
        run.fallback_note_display = services.note_display(run.fallback_note)
    return {"runs": runs, "polling": any(not run.is_finished for run in runs)}


@require_GET
@staff_required
def dashboard(request):
    versions = list(selectors.model_versions()[:50])
    rows = [{"version": v, "metrics": [v.metric(m) for m in METRIC_COLUMNS], "note": services.note_display(v.note)}
            for v in versions]
    return render(request, "recommender/dashboard.html", {
        "rows": rows, "metric_columns": METRIC_COLUMNS, "algorithms": services.ALGORITHMS,
        "active": next((v for v in versions if v.is_active), None), **_runs_context(),
        **_interleaving_context(versions),
    })


def _interleaving_context(versions) -> dict:
    tests = list(interleaving.experiments(5))
    servable = [v for v in versions if v.is_servable]
    # defaults: the active version (the control) as A, the newest other one as B
    default_a = next((v.pk for v in servable if v.is_active), servable[0].pk if servable else None)
    default_b = next((v.pk for v in servable if v.pk != default_a), None)
    return {"interleaving": [{"experiment": e, "results": interleaving.results(e)} for e in tests],
            "interleaving_running": any(e.status == InterleavingExperiment.Status.RUNNING for e in tests),
            "servable_versions": servable, "default_a": default_a, "default_b": default_b}


def _version(request, name: str) -> ModelVersion | None:
    value = request.POST.get(name, "")
    ok = value.isascii() and value.isdigit() and len(value) < 10  # str.isdigit alone accepts "²"
    return ModelVersion.objects.filter(pk=int(value)).first() if ok else None


@require_POST
@staff_required
def interleaving_start(request):
    version_a, version_b = _version(request, "version_a"), _version(request, "version_b")
    if version_a is None or version_b is None:
        messages.error(request, _("Choose two trained versions."))
        return redirect("recommender_staff:dashboard")
    try:
        experiment = services.interleaving_start(version_a=version_a, version_b=version_b, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Interleaving experiment #%(id)d started: learners' home feeds now mix "
                                    "versions #%(a)d and #%(b)d.") % {
            "id": experiment.pk, "a": version_a.pk, "b": version_b.pk})
    return redirect("recommender_staff:dashboard")


@require_POST
@staff_required
def interleaving_stop(request, pk):
    experiment = get_object_or_404(InterleavingExperiment, pk=pk)
    services.interleaving_stop(experiment=experiment, actor=request.user)
    messages.success(request, _("Interleaving experiment #%(id)d stopped.") % {"id": experiment.pk})
    return redirect("recommender_staff:dashboard")


@require_GET
@staff_required
def runs_partial(request):
    """The training-runs table alone (polled by htmx while a run is queued or running)."""
    return render(request, "recommender/_runs.html", _runs_context())


@require_POST
@staff_required
def train_now(request):
    algorithm = request.POST.get("algorithm", "")[:32]
    forced = request.POST.get("forced") == "on"
    try:
        run = services.training_request(actor=request.user, algorithm=algorithm, forced=forced)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Training run #%(id)d queued.") % {"id": run.pk})
    return redirect("recommender_staff:dashboard")


@require_POST
@staff_required
def activate(request, pk):
    version = get_object_or_404(ModelVersion, pk=pk)
    try:
        now = services.version_request_activation(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if now:
            messages.success(request, _("Version #%(id)d is now serving the feeds.") % {"id": version.pk})
        else:
            messages.info(request, _("Rebuilding the feeds of version #%(id)d; it becomes active when they are "
                                     "ready.") % {"id": version.pk})
    return redirect("recommender_staff:dashboard")
