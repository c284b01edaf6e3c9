"""Truthful reasons: the named history item is the largest contributor to the item's score, and substantial."""

import numpy as np
import pytest

from recommender.engine import explain, make_model, train_default
from recommender.engine.evaluation import leave_last_out
from recommender.engine.explain import MIN_SHARE, NEIGHBOURS, explain_items

from .synthetic import planted_interactions

CLUSTER = 16  # planted_interactions: 96 items in 6 clusters of 16


def _cluster(data, index: int) -> int:
    return int(data.item_ids[index][1:]) // CLUSTER


@pytest.fixture(scope="module")
def trained():
    data = planted_interactions(seed=11)
    model, _sel = train_default(leave_last_out(data).train)
    return leave_last_out(data).train, model


def test_every_reason_in_the_seeded_feeds_names_the_top_contributor_among_the_items_strongest_neighbours(trained):
    data, model = trained
    w = model.weights.numpy()
    n_reasons = n_generic = same_cluster = 0
    for u, recs in model.recommend_all(n=10):
        row = model.user_items[u]
        for (item, _score), why in zip(recs, explain_items(model, row, [i for i, _ in recs]), strict=True):
            if why is None:
                n_generic += 1
                continue
            n_reasons += 1
            hist = row.indices
            contrib = row.data * w[hist, item]
            assert why.anchor == hist[int(np.argmax(contrib))] and why.share >= MIN_SHARE
            assert np.isclose(why.contribution, contrib.max(), rtol=1e-5)
            # among the item's strongest neighbours (top 10 of its column) and in the item's planted cluster
            assert why.anchor in np.argsort(-w[:, item])[:NEIGHBOURS]
            same_cluster += _cluster(data, why.anchor) == _cluster(data, item)
    assert n_reasons > 100
    # planted: 90 % of picks within the learner's cluster, 10 % popular items from anywhere
    assert same_cluster >= 0.9 * n_reasons, (same_cluster, n_reasons)
    assert n_generic > 0  # weak or split scores get the generic reason


def test_no_reason_when_no_single_course_dominates_the_score():
    data = planted_interactions(seed=12)
    model = make_model("ease", l2=20.0).fit(data.to_csr())
    u = 0
    row = model.user_items[u]
    item = model.recommend(u, 1)[0][0]
    strict = explain(model, row, item, min_share=1.01)  # no term can exceed the sum of the positive terms
    loose = explain(model, row, item, min_share=0.0)
    assert strict is None and loose is not None and loose.anchor in row.indices.tolist()


def test_models_whose_scores_do_not_decompose_over_the_history_give_no_anchor():
    data = planted_interactions(seed=13)
    csr = data.to_csr()
    for name, params in (("ials", {"factors": 8, "iterations": 3}), ("pop", {})):
        model = make_model(name, **params).fit(csr)
        assert explain(model, model.user_items[0], 5) is None


def test_item_knn_reasons_follow_its_similarities():
    data = planted_interactions(seed=14)
    model = make_model("itemknn", neighbours=20).fit(data.to_csr())
    row = model.user_items[3]
    item = model.recommend(3, 1)[0][0]
    why = explain(model, row, item, min_share=0.0)
    sims = model.similarity[item].toarray().ravel()[row.indices]
    assert why is not None and why.anchor == row.indices[int(np.argmax(sims))]
    assert explain(model, row, item, min_share=0.0) == why
