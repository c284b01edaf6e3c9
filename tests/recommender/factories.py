"""Factories and small synthetic data for the recommender tests."""

import uuid

import factory
from django.utils import timezone

from courseplatform.events.models import Interaction
from recommender.models import ModelVersion
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    event_id = factory.LazyFunction(uuid.uuid4)
    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    type = "enroll"
    ts = factory.LazyFunction(timezone.now)
    surface = "home"


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelVersion

    algorithm = "pop"
    metrics = factory.LazyFunction(lambda: {"ndcg@10": 0.1, "recall@10": 0.2})
    artifact_dir = "/nonexistent"
    sha256 = "0" * 64
    feed_count = 1


def catalogue(n_categories: int = 3, per_category: int = 4, n_shops: int = 3):
    """Published courses spread over categories and storefronts; returns (categories, courses)."""
    categories = [CategoryFactory(slug=f"cat-{k}", name=f"Topic {k}") for k in range(n_categories)]
    shops = [StorefrontFactory() for _ in range(n_shops)]
    courses = []
    for k, cat in enumerate(categories):
        for j in range(per_category):
            courses.append(CourseFactory(category=cat, storefront=shops[(k + j) % n_shops],
                                         title=f"{cat.name} course {j}", tags=[f"topic{k}"]))
    return categories, courses


def planted_interactions(courses, n_learners: int = 24, seed: int = 0):
    """Learners in groups that each like one block of courses (a structure any model should find).

    Every learner enrols in 3 courses of their block (so leave-last-out has a test item) with distinct times.
    Returns the learners.
    """
    import random

    rng = random.Random(seed)
    blocks = [courses[i:i + 4] for i in range(0, len(courses), 4)]
    learners = []
    now = timezone.now()
    for n in range(n_learners):
        learner = UserFactory()
        block = blocks[n % len(blocks)]
        for t, course in enumerate(rng.sample(block, 3)):
            InteractionFactory(user=learner, course=course, type="enroll",
                               ts=now - timezone.timedelta(hours=10 - t))
            EnrollmentFactory(learner=learner, course=course)
        learners.append(learner)
    return learners
