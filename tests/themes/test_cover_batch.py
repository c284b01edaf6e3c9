"""Cover re-render batches: progress counts distinct courses, so a redelivered or retried chunk counts once."""

import pytest

from courseplatform.jobs.models import JobStatus
from tests.factories import CourseFactory
from themes import cover_store, services, tasks
from themes.models import CoverBatch

pytestmark = pytest.mark.django_db


def _started_batch(storefront, django_capture_on_commit_callbacks) -> tuple[CoverBatch, list[list[int]]]:
    """A batch claimed by ``cover_batch_start``, and the chunks it fanned out (the order it sends them in)."""
    batch = services.cover_batch_request(storefront=storefront)
    with django_capture_on_commit_callbacks(execute=False) as fanned_out:
        services.cover_batch_start(batch.pk)
    ids = list(storefront.courses.order_by("pk").values_list("pk", flat=True))
    size = services.COVER_BATCH_SIZE
    chunks = [ids[i:i + size] for i in range(0, len(ids), size)]
    assert len(fanned_out) == len(chunks)  # one render task per chunk (not sent: the test runs them itself)
    batch.refresh_from_db()
    return batch, chunks


def _state(batch: CoverBatch) -> tuple[int, int, str, float]:
    batch.refresh_from_db()
    return batch.done, batch.total, batch.status, round(batch.progress, 4)


@pytest.mark.slow
def test_a_chunk_run_twice_counts_its_courses_once_and_the_batch_waits_for_every_chunk(
        storefront, django_capture_on_commit_callbacks):
    CourseFactory.create_batch(60, storefront=storefront)
    batch, chunks = _started_batch(storefront, django_capture_on_commit_callbacks)
    assert [len(c) for c in chunks] == [25, 25, 10]
    assert _state(batch) == (0, 60, JobStatus.RUNNING, 0.0)

    tasks.render_cover_batch(batch.pk, chunks[0])
    tasks.render_cover_batch(batch.pk, chunks[0])  # acks_late redelivery of the same message
    assert _state(batch) == (25, 60, JobStatus.RUNNING, round(25 / 60, 4))

    tasks.render_cover_batch(batch.pk, chunks[1])
    services.cover_batch_render(batch.pk, chunks[1])  # an autoretry of the same chunk
    # 100 "done" before the fix: the batch succeeded here with the third chunk still pending
    assert _state(batch) == (50, 60, JobStatus.RUNNING, round(50 / 60, 4))

    tasks.render_cover_batch(batch.pk, chunks[2])
    assert _state(batch) == (60, 60, JobStatus.SUCCEEDED, 1.0)
    tasks.render_cover_batch(batch.pk, chunks[2])  # a late duplicate after success changes nothing
    assert _state(batch) == (60, 60, JobStatus.SUCCEEDED, 1.0)
    assert batch.rendered == sorted(pk for chunk in chunks for pk in chunk)
    for course in storefront.courses.all():
        assert cover_store.cover_for(course, "thumb").path.exists()


def test_chunks_finishing_out_of_order_still_finish_the_batch_once(storefront, django_capture_on_commit_callbacks):
    CourseFactory.create_batch(services.COVER_BATCH_SIZE + 2, storefront=storefront)
    batch, chunks = _started_batch(storefront, django_capture_on_commit_callbacks)
    tasks.render_cover_batch(batch.pk, chunks[1])
    assert _state(batch)[:3] == (2, len(chunks[0]) + 2, JobStatus.RUNNING)
    tasks.render_cover_batch(batch.pk, chunks[0])
    batch.refresh_from_db()
    assert (batch.done, batch.status) == (batch.total, JobStatus.SUCCEEDED)
    finished_at = batch.finished_at
    tasks.render_cover_batch(batch.pk, chunks[1])
    batch.refresh_from_db()
    assert batch.finished_at == finished_at and batch.done == batch.total


def test_a_course_deleted_during_the_batch_counts_as_done(storefront, django_capture_on_commit_callbacks):
    first, second = CourseFactory.create_batch(2, storefront=storefront)
    batch, chunks = _started_batch(storefront, django_capture_on_commit_callbacks)
    second.delete()
    tasks.render_cover_batch(batch.pk, chunks[0])
    assert _state(batch) == (2, 2, JobStatus.SUCCEEDED, 1.0)


def test_restarting_a_batch_starts_its_count_afresh(storefront, django_capture_on_commit_callbacks):
    CourseFactory.create_batch(3, storefront=storefront)
    batch, chunks = _started_batch(storefront, django_capture_on_commit_callbacks)
    tasks.render_cover_batch(batch.pk, chunks[0][:1])
    assert _state(batch)[0] == 1
    # the start message redelivered after its worker died (the sweeper requeues a stuck batch the same way)
    CoverBatch.objects.filter(pk=batch.pk).update(status=JobStatus.QUEUED, heartbeat_at=None)
    with django_capture_on_commit_callbacks(execute=False):
        services.cover_batch_start(batch.pk)
    batch.refresh_from_db()
    assert (batch.done, batch.rendered, batch.total, batch.status) == (0, [], 3, JobStatus.RUNNING)
