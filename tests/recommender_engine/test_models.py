import numpy as np
import pytest
import torch

from recommender.engine import DEFAULT_MODEL, MODEL_NAMES, ArtifactError, Recommender, evaluate, make_model
from recommender.engine.evaluation import random_holdout

from .synthetic import planted_interactions

FAST = {
    "pop": {},
    "itemknn": {"neighbours": 30},
    "ials": {"factors": 16, "iterations": 8, "regularization": 1.0, "alpha": 5.0},
    "bpr": {"factors": 16, "epochs": 40, "batch_size": 256, "learning_rate": 0.05},
    "ease": {"l2": 20.0},
    "blend": {"l2": 20.0, "knn_weight": 0.3, "neighbours": 30},
}


@pytest.fixture(scope="module")
def split():
    return random_holdout(planted_interactions(), 0.25, seed=0)


@pytest.fixture(scope="module")
def scores(split):
    train = split.train.to_csr()
    out = {}
    for name in MODEL_NAMES:
        model = make_model(name, seed=0, device="cpu", **FAST[name]).fit(train)
        out[name] = evaluate(model, train, split.test, ks=(10,)).metrics["ndcg@10"]
    return out


@pytest.mark.parametrize("name", [n for n in MODEL_NAMES if n != "pop"])
def test_each_model_beats_popularity_on_planted_clusters(scores, name):
    assert scores[name] > scores["pop"] + 0.05, scores


def test_registry_lists_all_models_and_rejects_unknown_names_and_params():
    assert set(MODEL_NAMES) == {"pop", "itemknn", "ials", "bpr", "ease", "blend"} and DEFAULT_MODEL in MODEL_NAMES
    with pytest.raises(ValueError, match="unknown model"):
        make_model("svd")
    with pytest.raises(TypeError, match="unknown parameter"):
        make_model("ease", lambda_=3)


@pytest.mark.parametrize("name", ["ials", "bpr"])
def test_training_is_deterministic_given_a_seed(split, name):
    train = split.train.to_csr()
    a = make_model(name, seed=7, device="cpu", **FAST[name]).fit(train)
    b = make_model(name, seed=7, device="cpu", **FAST[name]).fit(train)
    c = make_model(name, seed=8, device="cpu", **FAST[name]).fit(train)
    assert torch.equal(a.item_factors, b.item_factors) and torch.equal(a.user_factors, b.user_factors)
    assert not torch.equal(a.item_factors, c.item_factors)
    assert a.recommend(0, 10) == b.recommend(0, 10)


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_save_load_round_trip_gives_identical_recommendations(split, tmp_path, name):
    train = split.train.to_csr()
    model = make_model(name, seed=1, device="cpu", **FAST[name]).fit(train)
    model.save(tmp_path / "v1")
    loaded = Recommender.load(tmp_path / "v1")
    assert type(loaded) is type(model) and loaded.params == model.params
    users = np.arange(20)
    assert loaded.recommend_batch(users, 10) == model.recommend_batch(users, 10)
    assert loaded.similar_items(3, 5) == model.similar_items(3, 5)


def test_tampered_weights_fail_the_sha256_check(split, tmp_path):
    model = make_model("ease", **FAST["ease"]).fit(split.train.to_csr())
    d = model.save(tmp_path / "v1")
    weights = d / "weights.pt"
    raw = bytearray(weights.read_bytes())
    raw[-20] ^= 0xFF
    weights.write_bytes(bytes(raw))
    with pytest.raises(ArtifactError, match="sha256 mismatch"):
        Recommender.load(d)
    (d / "metadata.json").unlink()
    with pytest.raises(ArtifactError, match="metadata.json"):
        Recommender.load(d)


def test_recommend_excludes_seen_and_explicitly_excluded_items(split):
    train = split.train.to_csr()
    model = make_model("itemknn").fit(train)
    seen = set(train[0].indices.tolist())
    first = model.recommend(0, 5)
    recs = model.recommend(0, 5, exclude={first[0][0]})
    items = [i for i, _ in recs]
    assert not seen & set(items) and first[0][0] not in items
    assert [s for _, s in recs] == sorted((s for _, s in recs), reverse=True)
    assert all(i != 3 for i, _ in model.similar_items(3, 5))


def test_unknown_device_is_rejected():
    with pytest.raises(ValueError, match="unknown device"):
        make_model("ials", device="tpu").fit(np.eye(3))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_history_scoring_serves_a_user_unknown_to_training(split, name):
    """A new learner known only by a few items gets a list from their items' cluster (planted: 16 per cluster)."""
    model = make_model(name, seed=0, device="cpu", **FAST[name]).fit(split.train.to_csr())
    item_key = {k: i for i, k in enumerate(split.train.item_ids)}
    history = [item_key[f"i{k}"] for k in (16, 17, 18, 19) if f"i{k}" in item_key]  # cluster 1 = items 16..31
    recs = model.recommend_history(history, n=5, exclude={item_key.get("i20", -1)})
    items = [int(split.train.item_ids[i][1:]) for i, _ in recs]
    assert len(recs) == 5 and not set(history) & {i for i, _ in recs} and 20 not in items
    if name != "pop":
        assert sum(16 <= i < 32 for i in items) >= 4, items


def test_ials_fold_in_reproduces_the_trained_user_vector_direction(split):
    train = split.train.to_csr()
    model = make_model("ials", seed=0, device="cpu", **{**FAST["ials"], "iterations": 15}).fit(train)
    folded = model.score_history(train[0].indices.tolist())
    trained = model.score_users([0], filter_seen=False)[0]
    assert np.corrcoef(folded, trained)[0, 1] > 0.95


def test_artifact_directories_are_immutable_and_metadata_records_the_fit(split, tmp_path):
    import json

    model = make_model("pop").fit(split.train.to_csr())
    d = model.save(tmp_path / "v1")
    meta = json.loads((d / "metadata.json").read_text())
    assert meta["algorithm"] == "pop" and meta["device"] == "cpu" and len(meta["sha256"]) == 64
    with pytest.raises(ArtifactError, match="immutable"):
        model.save(d)
    model.save(d, overwrite=True)


def test_recommend_all_yields_every_trained_user_in_order(split):
    model = make_model("ease", **FAST["ease"]).fit(split.train.to_csr())
    out = list(model.recommend_all(n=3, batch_size=50))
    assert [u for u, _ in out] == list(range(model.n_users))
    assert out[7][1] == model.recommend(7, 3)
