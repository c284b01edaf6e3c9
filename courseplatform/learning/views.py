"""Learners' pages: a lesson, its media (permission-checked, range requests), progress reports, quizzes and
certificates (public verification)."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import selectors, services, validators
from .certificates import FORMATS, certificate_bytes
from .models import Certificate, Lesson
from .serving import serve_file
from .storage import private_storage


def _lesson_or_404(pk: int) -> Lesson:
    try:
        return selectors.lesson_with_course(pk)
    except Lesson.DoesNotExist:
        raise Http404 from None


def _checked(request, lesson: Lesson):
    """The lesson's access for this user; raises 404 for a hidden draft, 403 otherwise."""
    course = lesson.section.course
    access = selectors.lesson_access(request.user, lesson, course)
    if access.reason == "hidden":
        raise Http404
    return access


@require_GET
def lesson_detail(request, pk):
    lesson = _lesson_or_404(pk)
    course = lesson.section.course
    access = _checked(request, lesson)
    if access.reason == "login":
        return redirect_to_login(request.get_full_path())
    outline = selectors.outline(request.user, course)
    context = {"lesson": lesson, "course": course, "storefront": course.storefront, "access": access,
               "outline": outline}
    if not access.allowed:
        return render(request, "learning/lesson_locked.html", context, status=403)
    items = outline.lessons
    index = next(i for i, item in enumerate(items) if item.lesson.pk == lesson.pk)
    context.update({
        "previous": items[index - 1] if index > 0 else None,
        "next": items[index + 1] if index + 1 < len(items) else None,
        "completed": items[index].completed,
        "progress": selectors.progress_of(request.user, lesson),
        "records_progress": access.reason == "enrolled",
    })
    if lesson.kind == Lesson.Kind.QUIZ:
        attempts = list(selectors.attempts(request.user, lesson))
        context.update({"questions": selectors.questions_for(lesson), "attempts": attempts,
                        "attempts_left": None if lesson.max_attempts is None
                        else max(0, lesson.max_attempts - len(attempts))})
    return render(request, "learning/lesson.html", context)


@require_POST
def lesson_complete(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lesson = _lesson_or_404(pk)
    _checked(request, lesson)
    try:
        services.lesson_complete(learner=request.user, lesson=lesson)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:lesson", pk=lesson.pk)
    messages.success(request, _("Lesson complete."))
    outline = selectors.outline(request.user, lesson.section.course)
    if outline.next_lesson is not None:
        return redirect("learning:lesson", pk=outline.next_lesson.pk)
    return redirect(lesson.section.course)


def _number(data: dict, key: str, required: bool = True) -> float | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_("“%(key)s” must be a number.") % {"key": key})
    return float(value)


@require_POST
def lesson_report(request, pk):
    """The player's report (JSON): {"played": s, "position": s, "duration": s|null}; anything else (an empty
    body) says the lesson page was opened (remembered for "continue where you left off")."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Log in to record your progress.")}, status=403)
    lesson = _lesson_or_404(pk)
    _checked(request, lesson)
    try:
        if request.content_type != "application/json" or not request.body:
            progress = services.lesson_touch(learner=request.user, lesson=lesson)
        else:
            try:
                data = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                raise ValidationError(_("The report is not JSON.")) from None
            if not isinstance(data, dict):
                raise ValidationError(_("The report is not a JSON object."))
            progress = services.video_report(
                learner=request.user, lesson=lesson, played_s=_number(data, "played"),
                position_s=_number(data, "position"), duration_s=_number(data, "duration", required=False))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"watched": round(progress.watched_s, 1), "completed": progress.completed_at is not None})


@require_POST
def quiz_submit(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lesson = _lesson_or_404(pk)
    access = _checked(request, lesson)
    if not access.allowed:
        raise PermissionDenied
    answers = {}
    try:
        for key in request.POST:
            if key.startswith("q-"):
                answers[int(key[2:])] = [int(v) for v in request.POST.getlist(key)]
        attempt = services.quiz_submit(learner=request.user, lesson=lesson, answers=answers)
    except ValueError:
        return HttpResponse(_("Malformed answers."), status=400, content_type="text/plain; charset=utf-8")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learning:lesson", pk=lesson.pk)
    # the results, with the correct answers and explanations: only now, after the submission
    return render(request, "learning/quiz_result.html", {
        "lesson": lesson, "course": lesson.section.course, "storefront": lesson.section.course.storefront,
        "attempt": attempt, "questions": selectors.questions_for(lesson),
        "chosen": {int(k): set(v) for k, v in attempt.answers.items()},
        "outline": selectors.outline(request.user, lesson.section.course)})


def _media(request, pk, field: str):
    lesson = _lesson_or_404(pk)
    access = _checked(request, lesson)
    if not access.allowed:  # no redirect: a player or a guessed URL gets a plain refusal
        raise PermissionDenied
    stored = getattr(lesson, field)
    if not stored or not private_storage.exists(stored.name):
        raise Http404
    ext = validators.suffix(stored.name)
    if field == "video":
        return serve_file(request, private_storage, stored.name, validators.VIDEO_TYPES.get(ext, "video/mp4"))
    if field == "captions":
        return serve_file(request, private_storage, stored.name, "text/vtt; charset=utf-8")
    return serve_file(request, private_storage, stored.name,
                      validators.ATTACHMENT_TYPES.get(ext, "application/octet-stream"),
                      download_name=f"{lesson.title[:80]}{ext}")


@require_safe
def lesson_video(request, pk):
    return _media(request, pk, "video")


@require_safe
def lesson_captions(request, pk):
    return _media(request, pk, "captions")


@require_safe
def lesson_attachment(request, pk):
    return _media(request, pk, "attachment")


def _certificate_or_404(uuid) -> Certificate:
    try:
        return selectors.certificate_public(uuid)
    except Certificate.DoesNotExist:
        raise Http404 from None


@require_GET
def certificate_verify(request, uuid):
    """Public: the name, the course and the date; nothing else about the learner."""
    return render(request, "learning/certificate.html", {"certificate": _certificate_or_404(uuid)})


def _certificate_file(request, uuid, fmt: str):
    certificate = _certificate_or_404(uuid)
    response = HttpResponse(certificate_bytes(certificate, fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.uuid}.{fmt}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def certificate_png(request, uuid):
    return _certificate_file(request, uuid, "png")


@require_GET
def certificate_pdf(request, uuid):
    return _certificate_file(request, uuid, "pdf")
