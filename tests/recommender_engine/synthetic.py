"""Small synthetic interaction data with planted cluster structure (generated, never real data)."""

from __future__ import annotations

import numpy as np

from recommender.engine.dataset import Interactions, aggregate


def planted_interactions(
    n_users: int = 240, n_items: int = 96, n_clusters: int = 6, per_user: int = 12, seed: int = 0
) -> Interactions:
    """Each user belongs to a cluster and mostly (90 %) consumes that cluster's items; the rest is drawn from a
    global popularity distribution, so popularity is a meaningful but beatable baseline."""
    rng = np.random.default_rng(seed)
    items_per_cluster = n_items // n_clusters
    popularity = 1.0 / np.arange(1, n_items + 1) ** 0.8
    popularity /= popularity.sum()
    users, items, ts = [], [], []
    for u in range(n_users):
        c = u % n_clusters
        own = np.arange(c * items_per_cluster, (c + 1) * items_per_cluster)
        chosen: set[int] = set()
        while len(chosen) < per_user:
            if rng.random() < 0.9:
                chosen.add(int(rng.choice(own)))
            else:
                chosen.add(int(rng.choice(n_items, p=popularity)))
        for t, i in enumerate(sorted(chosen, key=lambda _: rng.random())):
            users.append(f"u{u}")
            items.append(f"i{i}")
            ts.append(1_000_000 + 3600 * t)
    return aggregate(users, items, np.ones(len(users)), np.asarray(ts, dtype=np.float64))


def write_csv(path, data: Interactions) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("user,item,timestamp,rating\n")
        for u, i, t in zip(data.users, data.items, data.timestamps, strict=True):
            fh.write(f"{data.user_ids[u]},{data.item_ids[i]},{int(t)},5\n")
