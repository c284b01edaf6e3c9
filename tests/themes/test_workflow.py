import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from courseplatform.jobs.models import JobStatus
from tests.factories import CourseFactory, StaffFactory, StorefrontFactory
from themes import services
from themes.models import CoverBatch, Palette, PaletteJob, PaletteStatus, PaletteTransition

from .conftest import FAST_BRIEF

pytestmark = pytest.mark.django_db


def test_full_review_path_records_every_transition(make_palette, creator, reviewer):
    palette = make_palette()
    services.palette_submit(palette=palette, actor=creator)
    services.palette_approve(palette=palette, actor=reviewer, note="looks good")
    services.palette_activate(palette=palette, actor=creator)
    palette.refresh_from_db()
    assert palette.status == PaletteStatus.ACTIVE
    trail = [(t.from_status, t.to_status, t.actor_id) for t in palette.transitions.all()]
    assert trail == [("proposed", "submitted", creator.pk), ("submitted", "approved", reviewer.pk),
                     ("approved", "active", creator.pk)]
    assert palette.transitions.get(to_status="approved").note == "looks good"


@pytest.mark.parametrize(("status", "action"), [
    ("proposed", "approve"), ("proposed", "activate"), ("rejected", "activate"), ("active", "submit"),
    ("approved", "submit"), ("rejected", "approve"),
])
def test_invalid_transitions_are_refused_with_a_clear_error(make_palette, creator, reviewer, status, action):
    palette = make_palette(status=status)
    actor = reviewer if action == "approve" else creator
    with pytest.raises(services.InvalidTransition) as error:
        getattr(services, f"palette_{action}")(palette=palette, actor=actor, **({"note": ""} if action == "approve" else {}))
    assert "cannot" in str(error.value) or "Only an approved" in str(error.value)
    palette.refresh_from_db()
    assert palette.status == status


def test_staff_without_the_approve_permission_cannot_approve(make_palette):
    palette = make_palette(status="submitted")
    with pytest.raises(PermissionDenied):
        services.palette_approve(palette=palette, actor=StaffFactory(is_superuser=False))


def test_creator_cannot_approve_and_nobody_approves_their_own_storefront(make_palette, creator, reviewer):
    palette = make_palette(status="submitted")
    with pytest.raises(PermissionDenied):
        services.palette_approve(palette=palette, actor=creator)
    own = make_palette(status="submitted", storefront=palette.storefront)
    palette.storefront.owner = reviewer
    palette.storefront.save()
    with pytest.raises(PermissionDenied):
        services.palette_approve(palette=own, actor=reviewer)


@pytest.mark.parametrize("who", ["creator", "learner"])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_logged_in_non_staff_user_gets_403_from_review_decide(client, request, make_palette, who, decision):
    palette = make_palette(status="submitted")
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("themes:review_decide", args=[palette.pk, decision]), {"note": "mine now"})
    assert response.status_code == 403  # refused outright, not sent to a log-in page they cannot use
    palette.refresh_from_db()
    assert palette.status == "submitted" and not palette.transitions.exists()


@pytest.mark.parametrize("who", ["learner", "creator"])
def test_review_queue_refuses_a_logged_in_non_staff_user_with_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("themes:review_queue"))
    assert response.status_code == 403  # like /staff/recommender/: refused, not sent to the admin log-in


def test_review_queue_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("themes:review_queue"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_review_queue_opens_for_staff(client, staff):
    client.force_login(staff)
    assert client.get(reverse("themes:review_queue")).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in_by_review_decide(client, make_palette):
    palette = make_palette(status="submitted")
    url = reverse("themes:review_decide", args=[palette.pk, "approve"])
    response = client.post(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    palette.refresh_from_db()
    assert palette.status == "submitted"


def test_a_reviewer_decides_through_the_page(client, reviewer, make_palette):
    palette = make_palette(status="submitted")
    client.force_login(reviewer)
    response = client.post(reverse("themes:review_decide", args=[palette.pk, "reject"]), {"note": "too faint"})
    assert response.status_code == 302 and response["Location"] == reverse("themes:review_queue")
    palette.refresh_from_db()
    assert palette.status == "rejected" and palette.transitions.get().note == "too faint"


def test_staff_without_permission_get_403_on_approve(client, make_palette):
    palette = make_palette(status="submitted")
    client.force_login(StaffFactory(is_superuser=False))
    assert client.post(reverse("themes:review_decide", args=[palette.pk, "approve"])).status_code == 403


def test_rejection_needs_a_note(make_palette, reviewer):
    palette = make_palette(status="submitted")
    with pytest.raises(Exception, match="Say why"):
        services.palette_reject(palette=palette, actor=reviewer, note="  ")
    services.palette_reject(palette=palette, actor=reviewer, note="text on surface is too faint")
    palette.refresh_from_db()
    assert palette.status == "rejected"


def test_activating_a_palette_retires_the_previous_one_and_rerenders_covers(make_palette, creator, course):
    first, second = make_palette(status="approved"), make_palette(status="approved")
    services.palette_activate(palette=first, actor=creator)
    services.palette_activate(palette=second, actor=creator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("retired", "active")
    assert CoverBatch.objects.filter(storefront=course.storefront).count() == 2
    services.palette_activate(palette=first, actor=creator)  # one-click rollback
    first.refresh_from_db()
    assert first.status == "active"


def test_same_brief_while_running_returns_the_running_job(storefront, creator):
    job, created = services.palette_job_request(storefront=storefront, actor=creator, brief=FAST_BRIEF)
    again, created_again = services.palette_job_request(storefront=storefront, actor=creator, brief=FAST_BRIEF)
    assert created and not created_again and again.pk == job.pk


def test_another_creator_cannot_request_palettes_for_my_storefront(storefront, other_creator):
    with pytest.raises(PermissionDenied):
        services.palette_job_request(storefront=storefront, actor=other_creator, brief=FAST_BRIEF)


def test_running_the_job_twice_stores_candidates_once(storefront, creator):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="h")
    services.palette_job_execute(job.pk, "cpu")
    services.palette_job_execute(job.pk, "cpu")  # a redelivered message
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1 and job.device == "cpu"
    assert Palette.objects.filter(job=job).count() == 2
    for palette in Palette.objects.filter(job=job):
        assert palette.contrast["light"]["text/background"] >= 4.5
        assert palette.contrast["dark"]["text/background"] >= 4.5


def test_a_bad_brief_fails_the_job_with_the_engines_message(storefront, creator):
    brief = {**FAST_BRIEF, "locks": [["#1e88e5", "primary"], ["#2e7d32", "primary"], ["#c62828", "primary"]], "k": 3}
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=brief, brief_hash="bad")
    services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.reason


def test_cuda_requested_on_a_machine_without_it_runs_on_cpu_and_says_so(storefront, creator):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="c")
    services.palette_job_execute(job.pk, "cuda")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.device == "cpu"
    assert "CPU" in job.reason


def test_cuda_out_of_memory_falls_back_to_cpu(storefront, creator, monkeypatch):
    import torch

    from themes import services as theme_services
    from workers import devices

    calls = []
    real = theme_services._run_engine

    def flaky(job, device):
        calls.append(device)
        if device == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (test)")
        return real(job, device)

    monkeypatch.setattr(theme_services, "_run_engine", flaky)
    monkeypatch.setattr(devices, "select_device", lambda preferred="auto": "cuda")
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="o")
    theme_services.palette_job_execute(job.pk, "auto")
    job.refresh_from_db()
    assert calls == ["cuda", "cpu"]
    assert job.status == JobStatus.SUCCEEDED and job.device == "cpu"
    assert job.reason == "fell back to CPU: CUDA out of memory"


def test_a_palette_created_as_proposed_records_its_creation_in_the_trail(storefront, creator, reviewer):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=FAST_BRIEF, brief_hash="p")
    services.palette_job_execute(job.pk, "cpu")
    palettes = list(Palette.objects.filter(job=job))
    assert len(palettes) == 2
    for palette in palettes:
        assert palette.status == PaletteStatus.PROPOSED
        assert [(t.from_status, t.to_status, t.actor_id) for t in palette.transitions.all()] == [
            ("", "proposed", creator.pk)]
    services.palette_job_execute(job.pk, "cpu")  # a redelivered message creates no palette and no second row
    assert PaletteTransition.objects.filter(palette__job=job).count() == 2

    first = palettes[0]
    services.palette_submit(palette=first, actor=creator)
    services.palette_approve(palette=first, actor=reviewer, note="fine")
    trail = [(t.from_status, t.to_status) for t in first.transitions.all()]
    assert trail == [("", "proposed"), ("proposed", "submitted"), ("submitted", "approved")]


def test_review_queue_reads_each_storefronts_preview_title_once(client, staff, make_palette, storefront,
                                                                 django_assert_max_num_queries):
    other = StorefrontFactory()
    CourseFactory(storefront=storefront, title="First shop course")
    CourseFactory(storefront=other, title="Second shop course")
    for shop in (storefront, other, storefront, other, storefront, other):
        make_palette(status="submitted", storefront=shop)
    client.force_login(staff)
    # 6 palettes, 2 storefronts: one title query per storefront (9 queries in all when it was one per palette)
    with django_assert_max_num_queries(6):  # session, user, palettes, 2 titles, the header's unread notifications
        response = client.get(reverse("themes:review_queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("First shop course") == page.count("Second shop course") >= 3  # every palette has its title
