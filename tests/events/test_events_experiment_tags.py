"""POST /api/events tags events with the server's own experiment assignment, and only while one runs.

The events API skips the per-storefront lookups when no experiment runs anywhere (one cached set of
storefront ids); starting or stopping an experiment drops that set, so the very next batch sees the change.
"""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from courseplatform.experiments import services as experiments
from courseplatform.experiments.selectors import experiment_tags
from tests.factories import CourseFactory, CreatorFactory, StorefrontFactory, UserFactory
from themes.models import Palette, PaletteJob

pytestmark = pytest.mark.django_db
LIGHT = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
         "secondary": "#455a64", "accent": "#d81b60"}
DARK = {"background": "#121212", "surface": "#1e1e1e", "text": "#eeeeee", "primary": "#64b5f6",
        "secondary": "#90a4ae", "accent": "#f48fb1"}


def palette(storefront, status, primary):
    job = PaletteJob.objects.create(storefront=storefront, brief={"k": 6}, brief_hash="x" * 64)
    return Palette.objects.create(storefront=storefront, job=job, rank=0, colors={**LIGHT, "primary": primary},
                                  dark=DARK, scores={"U": 2.5, "H": 0.8, "V": 0.9, "B": 0.9}, status=status,
                                  contrast={"light": {"text/background": 15.0}})


def post(client, courses, **context):
    events = [{"event_id": str(uuid.uuid4()), "type": "click", "course": c.pk, "ts": timezone.now().isoformat(),
               "context": {"surface": "home", **context}} for c in courses]
    response = client.post("/api/events", json.dumps({"events": events}), content_type="application/json")
    assert response.status_code == 200, response.content
    return Interaction.objects.filter(event_id__in=[e["event_id"] for e in events])


def test_events_are_tagged_by_the_server_only_while_an_experiment_runs():
    creator = CreatorFactory()
    tested, other = StorefrontFactory(owner=creator), StorefrontFactory()
    course, elsewhere = CourseFactory(storefront=tested), CourseFactory(storefront=other)
    learner = UserFactory()
    client = Client()
    client.force_login(learner)

    # nothing runs: nothing is tagged, whatever the client claims (this also caches "no experiment anywhere")
    rows = post(client, [course, elsewhere], experiment="999", variant="B")
    assert {(r.experiment, r.variant) for r in rows} == {("", "")}

    experiment = experiments.experiment_create(
        storefront=tested, actor=creator, name="Blue vs green", baseline_rate=0.1, minimum_detectable_effect=0.05,
        kind="palette", arms=[str(p.pk) for p in (palette(tested, "active", "#1e88e5"), palette(tested, "approved", "#2e7d32"),)])
    experiments.experiment_start(experiment=experiment, actor=creator)
    expected = experiment_tags(user=learner, storefront=tested)
    assert expected["experiment"] == experiment.tag

    rows = post(client, [course, elsewhere], experiment="999", variant="Z")
    assert rows.get(course=course).experiment == expected["experiment"]
    assert rows.get(course=course).variant == expected["variant"]
    assert (rows.get(course=elsewhere).experiment, rows.get(course=elsewhere).variant) == ("", "")

    experiments.experiment_stop(experiment=experiment, actor=creator)
    rows = post(client, [course], experiment=experiment.tag, variant=expected["variant"])
    assert (rows.get().experiment, rows.get().variant) == ("", "")
