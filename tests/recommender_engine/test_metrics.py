"""Each metric pinned by a hand-worked example (numbers derived in the comments)."""

import math

import numpy as np
import pytest

from recommender.engine import metrics as M

RANKED = [1, 2, 3, 4, 5]
RELEVANT = {2, 5, 9}  # hits at positions 2 and 5; item 9 never recommended


def test_precision_counts_hits_over_k():
    assert M.precision_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 5)
    assert M.precision_at_k(RANKED, RELEVANT, 2) == pytest.approx(1 / 2)
    assert M.precision_at_k(RANKED, RELEVANT, 1) == 0.0


def test_recall_divides_hits_by_all_relevant_items():
    assert M.recall_at_k(RANKED, RELEVANT, 5) == pytest.approx(2 / 3)
    assert M.recall_at_k(RANKED, RELEVANT, 2) == pytest.approx(1 / 3)


def test_ndcg_uses_log2_discount_and_ideal_of_min_k_relevant():
    # DCG@5 = 1/log2(3) + 1/log2(6); IDCG@5 = 1 + 1/log2(3) + 1/log2(4) (3 relevant items)
    dcg = 1 / math.log2(3) + 1 / math.log2(6)
    idcg = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert M.ndcg_at_k(RANKED, RELEVANT, 5) == pytest.approx(dcg / idcg)
    assert M.ndcg_at_k(RANKED, RELEVANT, 5) == pytest.approx(0.4776237, abs=1e-6)
    # @2: DCG = 1/log2(3), IDCG = 1 + 1/log2(3)
    assert M.ndcg_at_k(RANKED, RELEVANT, 2) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert M.ndcg_at_k([2, 5, 9], RELEVANT, 3) == pytest.approx(1.0)


def test_average_precision_normalises_by_min_k_and_relevant():
    # hits at 2 and 5: (P@2 + P@5) / min(5, 3) = (1/2 + 2/5) / 3 = 0.3
    assert M.average_precision_at_k(RANKED, RELEVANT, 5) == pytest.approx(0.3)
    # @2: P@2 / min(2, 3) = 0.5 / 2
    assert M.average_precision_at_k(RANKED, RELEVANT, 2) == pytest.approx(0.25)


def test_auc_counts_correctly_ordered_pairs_over_non_excluded_items():
    scores = np.array([0.9, 0.1, 0.5, 0.3, 0.7])
    # item 0 excluded; positives 1 (.1), 4 (.7); negatives 2 (.5), 3 (.3): 2 of 4 pairs right
    assert M.auc(scores, {1, 4}, excluded={0}) == pytest.approx(0.5)
    tied = scores.copy()
    tied[1] = 0.5  # item 1 now ties item 2 (1/2) and beats item 3: (2 + 1.5) / 4
    assert M.auc(tied, {1, 4}, excluded={0}) == pytest.approx(0.875)


def test_auc_batch_matches_per_user_auc_including_ties():
    scores = np.array([[0.9, 0.1, 0.5, 0.3, 0.7], [0.9, 0.5, 0.5, 0.3, 0.7]])
    pos = np.array([[0, 1, 0, 0, 1], [0, 1, 0, 0, 1]], dtype=bool)
    excl = np.array([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0]], dtype=bool)
    assert M.auc_batch(scores, pos, excl) == pytest.approx([0.5, 0.875])


def test_coverage_is_share_of_catalogue_recommended_to_anyone():
    lists = [[0, 1], [1, 2]]
    assert M.coverage(lists, 10) == pytest.approx(0.3)
    assert M.coverage(lists, 10, k=1) == pytest.approx(0.2)


def test_ranking_metrics_bundles_all_list_metrics_at_a_cutoff():
    out = M.ranking_metrics(RANKED, RELEVANT, 5)
    assert set(out) == {"precision@5", "recall@5", "ndcg@5", "map@5"}
