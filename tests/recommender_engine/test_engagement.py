import numpy as np
import pytest

from recommender.engine.engagement import (
    BASE_FEATURES,
    FEATURES,
    EngagementModel,
    feature_matrix,
    fit_and_evaluate,
    pr_auc,
    roc_auc,
    time_holdout,
)


def test_roc_auc_and_pr_auc_on_hand_worked_example():
    y = np.array([1, 0, 1, 0])
    s = np.array([0.9, 0.8, 0.4, 0.1])
    # pairs: .9>.8, .9>.1, .4<.8, .4>.1 -> 3/4; AP: (1/1 + 2/3) / 2
    assert roc_auc(y, s) == pytest.approx(0.75)
    assert pr_auc(y, s) == pytest.approx((1 + 2 / 3) / 2)


def test_time_holdout_puts_latest_rows_in_test():
    train, test = time_holdout(np.array([5.0, 1.0, 4.0, 2.0, 3.0]), test_fraction=0.4)
    assert test.tolist() == [True, False, True, False, False]
    assert (train == ~test).all()


def test_logistic_model_recovers_engagement_signal_on_time_holdout():
    rng = np.random.default_rng(0)
    n = 3000
    rows = [
        {"model_score": rng.normal(), "popularity": rng.integers(0, 500), "category_match": rng.integers(0, 2),
         "price": rng.uniform(0, 100), "position": rng.integers(0, 20)}
        for _ in range(n)
    ]
    x = feature_matrix(rows)
    logit = 1.5 * x[:, 0] + 1.0 * x[:, 2] - 0.8 * x[:, 4] - 0.01 * x[:, 3]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    model, report = fit_and_evaluate(x, y, np.arange(n, dtype=float))
    assert report["roc_auc"] > 0.75 and report["pr_auc"] > report["positive_rate"]
    coef = dict(zip(FEATURES, model.coef, strict=True))
    assert coef["model_score"] > 0 and coef["category_match"] > 0 and coef["position"] < 0
    again = EngagementModel.from_dict(model.to_dict())
    assert np.allclose(again.predict_proba(x[:5]), model.predict_proba(x[:5]))


def test_a_model_fitted_without_progress_features_records_them_and_loads_again():
    rng = np.random.default_rng(1)
    rows = [{"model_score": rng.normal(), "popularity": 3, "category_match": rng.integers(0, 2), "price": 10,
             "position": rng.integers(1, 10), "lessons_30d": 4} for _ in range(400)]
    y = (rng.random(400) < 0.3).astype(float)
    model, _report = fit_and_evaluate(feature_matrix(rows, BASE_FEATURES), y, np.arange(400.0),
                                      features=BASE_FEATURES)
    saved = model.to_dict()
    assert saved["features"] == list(BASE_FEATURES) and len(saved["coef"]) == len(BASE_FEATURES)
    again = EngagementModel.from_dict(saved)
    assert np.allclose(again.predict_rows(rows[:5]), model.predict_proba(feature_matrix(rows[:5], BASE_FEATURES)))
    with pytest.raises(ValueError):
        EngagementModel.from_dict({**saved, "features": [*BASE_FEATURES[:-1], "shoe_size"]})


def _logged_feeds(extra_signal: float, seed: int, feeds: int = 600, per_feed: int = 10):
    """Feeds of 10 courses; enrolment depends on the recommender's score and (by ``extra_signal``) on a feature
    the score does not see, which the engagement probability carries."""
    rng = np.random.default_rng(seed)
    n = feeds * per_feed
    groups = np.repeat(np.arange(feeds), per_feed)
    base = rng.normal(size=n)
    hidden = rng.normal(size=n)
    logit = -2.5 + 1.0 * base + extra_signal * hidden
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    p_enrol = 1 / (1 + np.exp(-(-2.5 + hidden + rng.normal(scale=0.3, size=n))))
    train = groups < feeds * 0.7  # earlier feeds
    return base, p_enrol, y, groups, train


def test_replay_blends_engagement_in_when_it_ranks_later_enrolments_higher():
    from recommender.engine.engagement import replay_blend

    out = replay_blend(*_logged_feeds(extra_signal=1.5, seed=0))
    assert out["use"] and out["weight"] > 0 and out["holdout_blend"] > out["holdout_base"] + 0.03


def test_replay_keeps_the_base_ranking_when_engagement_adds_nothing():
    from recommender.engine.engagement import replay_blend

    base, _p, y, groups, train = _logged_feeds(extra_signal=0.0, seed=1)
    noise = np.random.default_rng(2).random(base.size)  # an engagement estimate that knows nothing
    out = replay_blend(base, noise, y, groups, train)
    assert not out["use"] and out["weight"] == 0.0
