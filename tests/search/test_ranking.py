"""Personal ranking: a learner's relevance order blends in the ``search_personal_scores`` hook; anonymous
visitors get plain relevance; the blend weight is fitted on logged search sessions."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from courseplatform import hooks
from courseplatform.search import selectors, services
from courseplatform.search.models import BlendWeight, SearchClick, SearchLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Prefers:
    """A recommender that scores one course 1.0 for every learner."""

    def __init__(self, course_id: int):
        self.course_id = course_id

    @hooks.hookimpl
    def search_personal_scores(self, user, course_ids):
        return {self.course_id: 1.0} if self.course_id in course_ids else {}


def _order(params, user=None) -> list[int]:
    return [c.pk for c in selectors.search(params, user).courses]


@pytest.fixture(autouse=True)
def _fresh_weight():
    cache.delete(services.BLEND_CACHE_KEY)
    yield
    cache.delete(services.BLEND_CACHE_KEY)


def test_a_learner_sees_the_python_course_they_are_likeliest_to_take_first(corpus):
    learner = UserFactory()
    params = {"q": "python", "page": 1, "sort": "relevance"}
    plain = _order(params, learner)
    runner_up = plain[1]  # a title match like the first: the personal score decides at the default weight
    with hooks.plugin_registered(Prefers(runner_up)):
        assert _order(params, learner)[0] == runner_up
        assert _order(params, None) == plain  # anonymous visitors: relevance only
        found = selectors.search(params, learner)
        assert found.blend_weight == services.DEFAULT_BLEND_WEIGHT
        assert dict((c, p) for c, _r, p in found.candidates)[runner_up] == 1.0
    # a weaker text match (Python only in the subtitle) comes first once the fitted weight trusts the model
    liked = corpus["django"].pk
    assert plain.index(liked) >= 3
    BlendWeight.objects.create(weight=0.8, sessions=100, mrr_text=0.3, mrr_blend=0.6)
    cache.delete(services.BLEND_CACHE_KEY)
    with hooks.plugin_registered(Prefers(liked)):
        assert _order(params, learner)[0] == liked


def test_without_a_recommender_answer_the_order_is_plain_relevance(corpus):
    learner = UserFactory()
    params = {"q": "python", "page": 1, "sort": "relevance"}
    found = selectors.search(params, learner)
    assert found.blend_weight is None and all(p is None for _c, _r, p in found.candidates)


def test_blend_keeps_text_order_for_equal_personal_scores():
    ranked = selectors.blend([(1, 2.0), (2, 1.0), (3, 0.5)], {1: 0.2, 2: 0.2, 3: 0.2}, 0.5)
    assert [c for c, _r, _p in ranked] == [1, 2, 3]
    ranked = selectors.blend([(1, 2.0), (2, 1.9), (3, 0.5)], {2: 1.0}, 0.3)
    assert [c for c, _r, _p in ranked] == [2, 1, 3]


def _log_sessions(n: int, *, clicked_by: str) -> None:
    """Sessions whose candidates disagree: text prefers course 1, the personal score course 2."""
    learner = UserFactory()
    from tests.factories import CourseFactory

    text_best, personal_best = CourseFactory(), CourseFactory()
    for _ in range(n):
        log = services.search_log(user=learner, query="x", filters={}, results=2, candidates=[
            (text_best.pk, 1.0, 0.1), (personal_best.pk, 0.8, 0.9)])
        clicked = personal_best if clicked_by == "personal" else text_best
        SearchClick.objects.create(log=log, course=clicked, position=1)


def test_fit_picks_a_personal_weight_when_learners_click_what_the_model_predicted():
    _log_sessions(40, clicked_by="personal")
    fitted = services.fit_blend_weight()
    assert fitted.weight > 0.1 and fitted.mrr_blend == 1.0 and fitted.mrr_text == 0.5
    assert selectors.blend_weight() == fitted.weight


def test_fit_keeps_plain_relevance_when_learners_click_the_best_text_match():
    _log_sessions(40, clicked_by="text")
    assert services.fit_blend_weight().weight == 0.0


def test_fit_needs_enough_sessions_and_the_command_says_so(capsys):
    _log_sessions(5, clicked_by="personal")
    call_command("fit_search_blend")
    assert "Fewer than 30" in capsys.readouterr().out and not BlendWeight.objects.exists()
    call_command("fit_search_blend", "--min-sessions", "5", "--dry-run")
    assert "dry run" in capsys.readouterr().out and not BlendWeight.objects.exists()
    call_command("fit_search_blend", "--min-sessions", "5")
    assert BlendWeight.objects.count() == 1


def test_logged_candidates_carry_relevance_and_personal_scores(client, corpus):
    learner = UserFactory()
    client.force_login(learner)
    liked = selectors.search({"q": "python", "page": 1}).courses[1].pk
    with hooks.plugin_registered(Prefers(liked)):
        client.get("/search/", {"q": "python"})
    log = SearchLog.objects.get()
    assert log.candidates[0][0] == liked and log.candidates[0][2] == 1.0
    assert all(0.0 <= r <= 1.0 for _c, r, _p in log.candidates)
    assert log.blend_weight == services.DEFAULT_BLEND_WEIGHT


def test_pages_of_a_blended_order_neither_overlap_nor_skip(corpus):
    from tests.factories import CourseFactory

    extra = [CourseFactory(title=f"Python drill {n}", storefront=corpus["py-beginners"].storefront)
             for n in range(60)]
    services.index_courses(c.pk for c in extra)
    learner = UserFactory()
    with hooks.plugin_registered(Prefers(extra[-1].pk)):
        seen = []
        for page in (1, 2, 3, 4):
            seen += _order({"q": "python", "page": page, "sort": "relevance"}, learner)
    assert len(seen) == len(set(seen)) == 67
    assert seen[0] == extra[-1].pk
