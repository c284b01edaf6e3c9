"""The creator's curriculum editor: sections and lessons added, edited, reordered (drag and drop, or Up/Down
buttons that work without JavaScript), quiz questions, publishing. Owner (or staff) only; others get 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courseplatform.catalog.models import Course
from courseplatform.catalog.permissions import can_manage, creator_required

from . import selectors, services
from .forms import LessonForm, QuestionForm, SectionForm
from .models import Lesson, Question, Section


def _managed(request, obj_course: Course) -> None:
    if not can_manage(request.user, obj_course.storefront):
        raise Http404


def _course(request, pk) -> Course:
    course = get_object_or_404(Course.objects.select_related("storefront"), pk=pk)
    _managed(request, course)
    return course


def _section(request, pk) -> Section:
    section = get_object_or_404(Section.objects.select_related("course__storefront"), pk=pk)
    _managed(request, section.course)
    return section


def _lesson(request, pk) -> Lesson:
    lesson = get_object_or_404(Lesson.objects.select_related("section__course__storefront"), pk=pk)
    _managed(request, lesson.section.course)
    return lesson


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@creator_required
@require_http_methods(["GET", "POST"])
def curriculum(request, pk):
    course = _course(request, pk)
    form = SectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.section_create(course=course, actor=request.user, title=form.cleaned_data["title"])
            messages.success(request, _("Section added."))
            return redirect("learning:studio_curriculum", pk=course.pk)
        status = 400
    return render(request, "learning/studio/curriculum.html", {
        "course": course, "storefront": course.storefront, "sections": selectors.curriculum(course),
        "section_form": form, "kinds": Lesson.Kind.choices}, status=status)


@creator_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk):
    section = _section(request, pk)
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        services.section_update(section=section, actor=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("Section saved."))
        return redirect("learning:studio_curriculum", pk=section.course_id)
    return render(request, "learning/studio/section_form.html", {
        "form": form, "section": section, "course": section.course},
        status=400 if request.method == "POST" else 200)


@creator_required
@require_POST
def section_delete(request, pk):
    section = _section(request, pk)
    services.section_delete(section=section, actor=request.user)
    messages.success(request, _("Section deleted."))
    return redirect("learning:studio_curriculum", pk=section.course_id)


@creator_required
@require_POST
def section_move(request, pk):
    section = _section(request, pk)
    try:
        services.move(obj=section, actor=request.user, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("learning:studio_curriculum", pk=section.course_id)


def _lesson_page(request, *, section: Section, lesson: Lesson | None, kind: str):
    form = LessonForm(request.POST or None, request.FILES or None, instance=lesson, kind=kind)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.lesson_save(section=section, actor=request.user, data=form.service_data(),
                                             lesson=lesson)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Lesson saved."))
                if _wants_json(request):  # the upload-progress script follows the redirect itself
                    return JsonResponse({"redirect": _lesson_edit_url(saved)})
                return redirect("learning:studio_lesson", pk=saved.pk)
        status = 400
        if _wants_json(request):
            return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    return render(request, "learning/studio/lesson_form.html", {
        "form": form, "section": section, "course": section.course, "lesson": lesson, "kind": kind,
        "kind_label": Lesson.Kind(kind).label,
        "questions": lesson.questions.prefetch_related("choices") if lesson and kind == Lesson.Kind.QUIZ else None,
        "question_form": QuestionForm() if lesson and kind == Lesson.Kind.QUIZ else None}, status=status)


def _lesson_edit_url(lesson: Lesson) -> str:
    return reverse("learning:studio_lesson", args=[lesson.pk])


@creator_required
@require_http_methods(["GET", "POST"])
def lesson_new(request, pk):
    section = _section(request, pk)
    kind = request.GET.get("kind", Lesson.Kind.TEXT)
    if kind not in Lesson.Kind.values:
        return render(request, "learning/studio/bad_kind.html", {"course": section.course}, status=400)
    return _lesson_page(request, section=section, lesson=None, kind=kind)


@creator_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = _lesson(request, pk)
    return _lesson_page(request, section=lesson.section, lesson=lesson, kind=lesson.kind)


@creator_required
@require_POST
def lesson_delete(request, pk):
    lesson = _lesson(request, pk)
    course_id = lesson.section.course_id
    services.lesson_delete(lesson=lesson, actor=request.user)
    messages.success(request, _("Lesson deleted."))
    return redirect("learning:studio_curriculum", pk=course_id)


@creator_required
@require_POST
def lesson_move(request, pk):
    lesson = _lesson(request, pk)
    try:
        services.move(obj=lesson, actor=request.user, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("learning:studio_curriculum", pk=lesson.section.course_id)


@creator_required
@require_POST
def reorder(request, pk):
    """Drag and drop's save: ``sections`` = "3,1,2" or ``section`` + ``lessons`` = "7,5,6"."""
    course = _course(request, pk)
    try:
        if request.POST.get("sections"):
            services.reorder(course=course, actor=request.user,
                             sections=[int(x) for x in request.POST["sections"].split(",")])
        elif request.POST.get("section") and "lessons" in request.POST:
            ids = [int(x) for x in request.POST["lessons"].split(",") if x]
            services.reorder(course=course, actor=request.user, lessons={int(request.POST["section"]): ids})
        else:
            raise ValidationError(_("Nothing to reorder."))
    except ValueError:
        return JsonResponse({"error": _("The order must be a list of numbers.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"message": _("Order saved.")})


@creator_required
@require_POST
def question_add(request, pk):
    lesson = _lesson(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(lesson=lesson, actor=request.user, text=form.cleaned_data["text"],
                                  choices=form.parsed_choices(), multiple=form.cleaned_data["multiple"],
                                  explanation=form.cleaned_data["explanation"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("learning:studio_lesson", pk=lesson.pk)
    return render(request, "learning/studio/lesson_form.html", {
        "form": LessonForm(instance=lesson, kind=lesson.kind), "section": lesson.section,
        "course": lesson.section.course, "lesson": lesson, "kind": lesson.kind,
        "kind_label": Lesson.Kind(lesson.kind).label,
        "questions": lesson.questions.prefetch_related("choices"), "question_form": form}, status=400)


@creator_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("lesson__section__course__storefront"), pk=pk)
    _managed(request, question.lesson.section.course)
    services.question_delete(question=question, actor=request.user)
    messages.success(request, _("Question deleted."))
    return redirect("learning:studio_lesson", pk=question.lesson_id)


@creator_required
@require_POST
def publish(request, pk):
    course = _course(request, pk)
    try:
        services.course_publish(course=course, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Course published."))
    return redirect("learning:studio_curriculum", pk=course.pk)
