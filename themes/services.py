"""Writes for theming: palette jobs, the review workflow, activation and cover re-renders."""

import hashlib
import json
import logging
import math
import time

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course
from courseplatform.hooks.signals import palette_reviewed, send_on_commit
from courseplatform.jobs import services as jobs
from courseplatform.jobs.models import JobStatus
from workers import app, devices

from . import cover_store
from .models import CoverBatch, LogoColours, Palette, PaletteJob, PaletteStatus, PaletteTransition
from .plugins import OBJECTIVE_TERMS
from .selectors import invalidate_active_palette

logger = logging.getLogger(__name__)

S = PaletteStatus
TRANSITIONS: dict[str, set[str]] = {
    S.PROPOSED: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.REJECTED},
    S.APPROVED: {S.ACTIVE, S.RETIRED},
    S.REJECTED: set(),
    S.ACTIVE: {S.RETIRED},
    S.RETIRED: {S.ACTIVE},
}
COVER_BATCH_SIZE = 25


class InvalidTransition(ValidationError):
    pass


def brief_hash(brief: dict) -> str:
    return hashlib.sha256(json.dumps(brief, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class QuotaExceeded(Exception):
    """A creator's palette-job quota is used up (the view answers 429 with the message)."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.message, self.retry_after_s = message, retry_after_s


def palette_job_quota_check(actor) -> None:
    """Per creator (all their storefronts): at most PALETTE_JOBS_MAX_CONCURRENT jobs queued or running and
    PALETTE_JOBS_PER_HOUR requested in the last hour, so one creator cannot fill the workers' queue for
    everyone (issue 22, item 7). Raises :class:`QuotaExceeded`."""
    mine = PaletteJob.objects.filter(storefront__owner_id=actor.pk)
    limit = int(settings.PALETTE_JOBS_MAX_CONCURRENT)
    if mine.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).count() >= limit:
        raise QuotaExceeded(_("You already have %(n)d palette jobs waiting or running; wait for one to finish, "
                              "then try again.") % {"n": limit}, 30)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    recent = list(mine.filter(created_at__gte=hour_ago).order_by("created_at").values_list("created_at", flat=True))
    per_hour = int(settings.PALETTE_JOBS_PER_HOUR)
    if len(recent) >= per_hour:
        wait = max(1, int((recent[len(recent) - per_hour] - hour_ago).total_seconds()) + 1)
        raise QuotaExceeded(_("You have requested %(n)d palette jobs in the last hour, the most allowed; try again "
                              "in %(minutes)d minutes.") % {"n": per_hour, "minutes": math.ceil(wait / 60)}, wait)


def palette_job_request(*, storefront, actor, brief: dict) -> tuple[PaletteJob, bool]:
    """Create and dispatch a palette job; the same brief while one is queued or running returns that job.
    Raises :class:`QuotaExceeded` when the creator's quota is used up."""
    if storefront.owner_id != actor.pk:
        raise PermissionDenied(_("You can only request palettes for your own storefront."))
    digest = brief_hash(brief)
    with transaction.atomic():
        running = (PaletteJob.objects.select_for_update()
                   .filter(storefront=storefront, brief_hash=digest,
                           status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first())
        if running:
            return running, False
        # one creator's requests one at a time: two concurrent requests cannot both pass the quota
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        palette_job_quota_check(actor)
        job = PaletteJob.objects.create(storefront=storefront, requested_by=actor, brief=brief, brief_hash=digest)
        jobs.job_dispatch(job)
    return job, True


def _engine_brief(brief: dict, device: str):
    from themes.palette import Brief

    locks = [(hex_, role or None) for hex_, role in brief.get("locks", [])]
    fields = {k: brief[k] for k in ("k", "alpha", "beta", "gamma", "seed", "candidates", "starts", "steps")
              if k in brief}
    return Brief(brand_colors=list(brief.get("brand_colors", [])), locks=locks,
                 keywords=brief.get("keywords", ""), device=device, deadline_s=240.0, terms=_engine_terms(),
                 **fields)


def _engine_terms() -> list:
    """The objective-term plugins with a differentiable ``torch_score`` (hookspecs.themes_objective_terms), as
    engine terms that steer the optimiser. Each is probed on a random palette pair first: one that raises, or
    does not return a finite (batch,) tensor that carries the gradient, is logged and left to re-ranking."""
    import torch

    from themes.palette import Term

    terms = []
    for plugin in OBJECTIVE_TERMS.all():
        fn = getattr(plugin, "torch_score", None)
        if not callable(fn):
            continue
        light = torch.rand(3, 6, 3, requires_grad=True)
        dark = torch.rand(3, 6, 3, requires_grad=True)
        try:
            value = fn(light, dark)
            usable = (isinstance(value, torch.Tensor) and tuple(value.shape) == (3,)
                      and bool(torch.isfinite(value).all()) and value.requires_grad)
        except Exception:
            logger.warning("objective term %r: torch_score failed on a probe; it only re-ranks", plugin.name,
                           exc_info=True)
            continue
        if not usable:
            logger.warning("objective term %r: torch_score must return a finite (batch,) tensor with a gradient; "
                           "it only re-ranks", plugin.name)
            continue
        terms.append(Term(name=plugin.name, weight=float(plugin.weight), fn=fn))
    return terms


def _run_engine(job: PaletteJob, device: str):
    from themes.palette import generate

    last = [0.0, time.monotonic()]
    # reliability fix: heartbeat at least three times per JOBS_HEARTBEAT_STALE_S, so that a live run is never
    # taken for a dead one by a redelivered message (job_claim(stale_after_s=...)).
    heartbeat_every = settings.JOBS_HEARTBEAT_STALE_S / 3

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.05 or fraction >= 1.0 or time.monotonic() - last[1] >= heartbeat_every:
            last[0], last[1] = fraction, time.monotonic()
            jobs.job_progress(job, 0.95 * fraction)

    engine_brief = _engine_brief(job.brief, device)
    engine_brief.validate()
    return generate(engine_brief, progress=progress)


def palette_job_execute(job_id: int, preferred_device: str = "auto") -> None:
    """Run a claimed palette job; safe to call for a redelivered message (it then does nothing)."""
    # raises jobs.JobBusy while another live run owns the job (the task re-checks later)
    job = jobs.job_claim(PaletteJob, job_id, stale_after_s=settings.JOBS_HEARTBEAT_STALE_S, raise_if_busy=True)
    if job is None:
        return
    started = time.perf_counter()
    try:  # on CUDA out of memory the engine runs again on the CPU (workers.devices)
        outcome = devices.run_on_device(lambda device: _run_engine(job, device), preferred_device)
    except ValueError as error:
        jobs.job_fail(job, str(error))
        return
    except Exception as error:
        _fail_unless_transient(job, error)
        raise
    result = outcome.result
    _store_candidates(job, result.to_dict())
    job.seconds = round(time.perf_counter() - started, 3)
    job.save(update_fields=["seconds", "unknown_keywords", "engine_version"])
    jobs.job_succeed(job, device=result.to_dict().get("device", outcome.device), note=outcome.note)


def _fail_unless_transient(job: PaletteJob, error: Exception) -> None:
    """reliability fix (tests/reliability/test_stuck_jobs.py): an engine crash (MemoryError, a bug) used to leave
    the job "running" until the sweeper gave up on it (TIME_LIMIT_S x JOBS_MAX_ATTEMPTS, 15 minutes). A poison
    job now fails at once, with a reason that names the error type only (no internals on the page). Database and
    broker hiccups are left to the task's automatic retry."""
    if isinstance(error, OperationalError | InterfaceError | ConnectionError):
        return
    logger.exception("palette job %s failed", job.pk)
    jobs.job_fail(job, _("The palette engine failed (%(error)s). Please try again or change the brief.")
                  % {"error": type(error).__name__})


def _plugin_scores(palette: dict, engine_scores: dict | None = None) -> tuple[dict, float]:
    """Scores of the objective-term plugins for one finished candidate (``palette``: role → ``#rrggbb``).

    A term the engine optimised (a ``torch_score`` it took, reported in ``engine_scores`` under the term's
    name) is already part of U: its engine value is recorded and adds nothing more. The others are post-hoc:
    they only re-rank the candidates. A term that raises or returns something other than a finite number is
    skipped and logged, never fails the job; a score outside [0, 1] is clamped to it.
    """
    scores, bonus = {}, 0.0
    engine_scores = engine_scores or {}
    for term in OBJECTIVE_TERMS.all():
        if term.name in engine_scores and term.name not in ("U", "H", "V", "B"):
            scores[term.name] = round(float(engine_scores[term.name]), 4)
            continue
        try:
            value = float(term.score(dict(palette)))
        except Exception:
            logger.warning("objective term %r failed; skipped", term.name, exc_info=True)
            continue
        if not math.isfinite(value):
            logger.warning("objective term %r returned %r; skipped", term.name, value)
            continue
        value = min(max(value, 0.0), 1.0)
        scores[term.name] = round(value, 4)
        bonus += float(term.weight) * value
    return scores, bonus


#: what the studio shows and the token exporters use, kept per candidate (themes.palette's Result.to_dict): CIEDE2000
#: distances, brand fidelity, APCA Lc beside the WCAG ratios, colour-vision-deficiency previews, tonal ramps
STORED_DETAILS = ("distances", "brand", "primary_exact_in", "apca", "cvd", "tones")


@transaction.atomic
def _store_candidates(job: PaletteJob, output: dict) -> None:
    candidates = []
    for item in output["palettes"]:
        extra, bonus = _plugin_scores(item["colors"], item["scores"])
        scores = {**item["scores"], "plugins": extra, "total": round(item["scores"]["U"] + bonus, 4)}
        candidates.append((scores["total"], item, scores))
    candidates.sort(key=lambda c: -c[0])
    for rank, (_total, item, scores) in enumerate(candidates):
        details = {k: item[k] for k in STORED_DETAILS if k in item}
        palette, created = Palette.objects.get_or_create(  # idempotent by (job, rank): a rerun writes nothing
            job=job, rank=rank,
            defaults={"storefront_id": job.storefront_id, "colors": item["colors"], "dark": item["dark"],
                      "scores": scores, "contrast": item.get("contrast", {}), "details": details})
        if created:  # the audit trail starts with the palette's creation: '' → proposed, by who asked for it
            PaletteTransition.objects.create(palette=palette, from_status="", to_status=palette.status,
                                             actor_id=job.requested_by_id)
    job.unknown_keywords = output.get("unknown_keywords", [])
    job.engine_version = output.get("engine_version", "")


def _transition(palette: Palette, to_status: str, actor, note: str = "") -> Palette:
    original = palette
    palette = Palette.objects.select_for_update().get(pk=palette.pk)
    if to_status not in TRANSITIONS[palette.status]:
        raise InvalidTransition(
            _("A palette that is %(from)s cannot become %(to)s.")
            % {"from": palette.get_status_display().lower(), "to": S(to_status).label.lower()},
            code="invalid_transition")
    PaletteTransition.objects.create(palette=palette, from_status=palette.status, to_status=to_status,
                                     actor=actor, note=note)
    if S.ACTIVE in (palette.status, to_status):
        sid = palette.storefront_id
        transaction.on_commit(lambda: invalidate_active_palette(sid))
        invalidate_active_palette(sid)
    palette.status = original.status = to_status
    palette.save(update_fields=["status", "updated_at"])
    return palette


@transaction.atomic
def palette_submit(*, palette: Palette, actor) -> Palette:
    if palette.storefront.owner_id != actor.pk:
        raise PermissionDenied(_("Only the storefront's owner can submit its palettes."))
    return _transition(palette, S.SUBMITTED, actor)


def review_refusal(palette: Palette, actor) -> str:
    """Why ``actor`` may not approve or reject ``palette`` ("" when they may); pages use it to hide the actions."""
    if not (actor.is_staff and actor.has_perm("themes.approve_palette")):
        return _("You do not have permission to review palettes.")
    if palette.storefront.owner_id == actor.pk:
        return _("Nobody may review a palette of a storefront they own.")
    return ""


def _ensure_reviewer(palette: Palette, actor) -> None:
    refusal = review_refusal(palette, actor)
    if refusal:
        raise PermissionDenied(refusal)


@transaction.atomic
def palette_approve(*, palette: Palette, actor, note: str = "") -> Palette:
    _ensure_reviewer(palette, actor)
    palette = _transition(palette, S.APPROVED, actor, note)
    _announce_review(palette, approved=True, note=note)
    return palette


@transaction.atomic
def palette_reject(*, palette: Palette, actor, note: str) -> Palette:
    _ensure_reviewer(palette, actor)
    if not note.strip():
        raise ValidationError(_("Say why the palette is rejected, so the creator can act on it."))
    palette = _transition(palette, S.REJECTED, actor, note)
    _announce_review(palette, approved=False, note=note)
    return palette


def _announce_review(palette: Palette, *, approved: bool, note: str) -> None:
    """Tell the core (notifications) once the decision commits; the core knows no palette model."""
    storefront = palette.storefront
    send_on_commit(palette_reviewed, Palette, creator=storefront.owner, storefront=storefront,
                   palette_id=palette.pk, approved=approved, note=note,
                   url=reverse("themes:palette_studio", args=[storefront.slug]))


@transaction.atomic
def palette_activate(*, palette: Palette, actor) -> Palette:
    """Make an approved (or previously active) palette live; the current one retires; covers re-render."""
    if palette.storefront.owner_id != actor.pk and not actor.is_staff:
        raise PermissionDenied(_("Only the storefront's owner can activate its palettes."))
    palette = Palette.objects.select_for_update().select_related("storefront").get(pk=palette.pk)
    current = Palette.objects.select_for_update().filter(storefront_id=palette.storefront_id, status=S.ACTIVE).first()
    if current and current.pk == palette.pk:
        return palette
    if palette.status not in (S.APPROVED, S.RETIRED):
        raise InvalidTransition(_("Only an approved palette can be activated."), code="invalid_transition")
    if current:
        # written like a reviewer's note, in the language of whoever activated (it is shown as such)
        # Translators: %(name)s is a palette's name, e.g. "Candidate 2 — Blue with orange"; %(job)s its job's number.
        note = _("Replaced by %(name)s (palette job %(job)s)") % {"name": palette.display_name, "job": palette.job_id}
        _transition(current, S.RETIRED, actor, note=note)
    palette = _transition(palette, S.ACTIVE, actor)
    cover_batch_request(storefront=palette.storefront)
    return palette


@transaction.atomic
def palette_retire(*, palette: Palette, actor) -> Palette:
    if palette.storefront.owner_id != actor.pk and not actor.is_staff:
        raise PermissionDenied(_("Only the storefront's owner can retire its palettes."))
    return _transition(palette, S.RETIRED, actor)


def cover_batch_request(*, storefront) -> CoverBatch:
    batch = CoverBatch.objects.create(storefront=storefront, total=storefront.courses.count())
    jobs.job_dispatch(batch)
    return batch


def cover_batch_start(batch_id: int) -> None:
    """Fan a claimed batch out into tasks of COVER_BATCH_SIZE courses each."""
    batch = jobs.job_claim(CoverBatch, batch_id)
    if batch is None:
        return
    ids = list(batch.storefront.courses.order_by("pk").values_list("pk", flat=True))
    CoverBatch.objects.filter(pk=batch.pk).update(total=len(ids), done=0, rendered=[])
    if not ids:
        jobs.job_succeed(batch)
        return
    for i in range(0, len(ids), COVER_BATCH_SIZE):
        chunk = ids[i:i + COVER_BATCH_SIZE]
        transaction.on_commit(lambda c=chunk: app.send_task("themes.render_cover_batch", args=[batch.pk, c]))


def _cover_batch_mark_rendered(batch_id: int, course_ids: list[int]) -> CoverBatch | None:
    """Record ``course_ids`` as rendered, recount progress from the distinct ids (idempotent) and finish the
    batch once every course is rendered.

    The row is locked while its id list is read and rewritten, so two chunks finishing at once cannot lose
    each other's ids, and only one of them finishes the batch (PostgreSQL: SELECT … FOR UPDATE; SQLite: the
    IMMEDIATE transaction takes the write lock).
    """
    with transaction.atomic():
        batch = CoverBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            return None
        rendered = set(batch.rendered)
        rendered.update(int(pk) for pk in course_ids)
        batch.rendered = sorted(rendered)
        batch.done = len(rendered)
        batch.heartbeat_at = timezone.now()
        fields = ["rendered", "done", "heartbeat_at"]
        if batch.status == JobStatus.RUNNING:
            batch.progress = min(batch.done, batch.total) / batch.total if batch.total else 1.0
            fields.append("progress")
        batch.save(update_fields=fields)
        if batch.status == JobStatus.RUNNING and batch.done >= batch.total:
            jobs.job_succeed(batch)
    return batch


def cover_batch_render(batch_id: int, course_ids: list[int]) -> None:
    """Render the covers of ``course_ids`` in every size and record them as rendered.

    Safe to run twice for the same chunk (acks_late redelivery, autoretry): the files are content-hashed and
    progress counts distinct course ids, so ``done`` never exceeds the courses really rendered and the batch
    succeeds only once every course of every chunk is done.
    """
    courses = list(Course.objects.filter(pk__in=course_ids).select_related("storefront", "category"))
    shops: dict[int, object] = {}
    for course in courses:
        # one storefront instance per chunk: its active palette and logo are looked up once, not per course
        course.storefront = shops.setdefault(course.storefront_id, course.storefront)
        for size in cover_store.SIZES:
            cover_store.cover_for(course, size)
    # one locked update per chunk; a course deleted since the batch started has no cover to render: it counts as
    # done, so the batch finishes
    _cover_batch_mark_rendered(batch_id, course_ids)


#: how many colours a logo suggests (the brief form takes up to 8)
LOGO_SUGGESTIONS = 6


def logo_colours_request(*, storefront, actor) -> LogoColours:
    """Ask a worker for brand colours from the storefront's current logo. Idempotent per logo file: the same
    logo returns its existing row (a failed one is queued again)."""
    if storefront.owner_id != actor.pk:
        raise PermissionDenied(_("You can only request colour suggestions for your own storefront."))
    if not (storefront.logo and storefront.logo.name):
        raise ValidationError(_("Upload a logo first; the colours are taken from it."), code="no_logo")
    with transaction.atomic():
        row, created = LogoColours.objects.select_for_update().get_or_create(
            storefront=storefront, logo_name=storefront.logo.name)
        if created or row.status == JobStatus.FAILED:
            if not created:
                LogoColours.objects.filter(pk=row.pk).update(attempts=0, reason="", progress=0.0)
            jobs.job_dispatch(row)
            row.refresh_from_db()
    return row


def logo_colours_extract(row_id: int) -> None:
    """Worker side: decode the logo with the covers' safe loader and cluster its pixels
    (:func:`themes.palette.extract_colours`); a logo that cannot be read fails the row with the reason."""
    from themes.covers import LogoError, load_logo
    from themes.palette import extract_colours

    row = jobs.job_claim(LogoColours, row_id)
    if row is None:
        return
    storefront = row.storefront
    data = cover_store.storefront_logo(storefront) if storefront.logo.name == row.logo_name else None
    if data is None:
        jobs.job_fail(row, _("The logo could not be read; upload it again as a PNG, JPEG or WebP image."))
        return
    try:
        with load_logo(data) as image:
            pixels = np.array(image.convert("RGBA"))
    except LogoError:
        jobs.job_fail(row, _("The logo could not be read; upload it again as a PNG, JPEG or WebP image."))
        return
    found = extract_colours(pixels, n=LOGO_SUGGESTIONS)
    row.colours = [{"hex": c["hex"].lower(), "share": c["share"]} for c in found]
    row.save(update_fields=["colours"])
    jobs.job_succeed(row, device="cpu")
