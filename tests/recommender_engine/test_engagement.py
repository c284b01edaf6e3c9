import numpy as np
import pytest

from recommender.engine.engagement import (
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
