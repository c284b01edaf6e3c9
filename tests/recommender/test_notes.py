"""Notes on model versions and training runs are stored in English and shown in the reader's language."""

import re

import pytest
from django.urls import reverse

from recommender import services
from recommender.models import ModelVersion, TrainingRun
from recommender.tasks import OOM_NOTE
from recommender.training import _maybe_activate
from tests.recommender.factories import ModelVersionFactory
from tests.test_i18n import zh_catalogue_with

pytestmark = pytest.mark.django_db

ZH = {
    "no active version": "没有启用中的版本",
    "%(metric)s %(new)s ≥ %(old)s (%(where)s)": "%(metric)s %(new)s ≥ %(old)s（%(where)s）",
    "%(metric)s %(new)s < %(old)s (%(where)s)": "%(metric)s %(new)s < %(old)s（%(where)s）",
    "%(algorithm)s of version #%(version)s refitted on the same split": "版本 #%(version)s 的 %(algorithm)s 在同一划分上重新拟合",
    "version #%(version)s, stored metric from its own split": "版本 #%(version)s，取自其自身划分的已存指标",
    "active version #%(version)s has no %(metric)s": "启用中的版本 #%(version)s 没有 %(metric)s",
    "no %(metric)s for the new version": "新版本没有 %(metric)s",
    "activated version #%(version)s: %(note)s": "已启用版本 #%(version)s：%(note)s",
    "kept version #%(version)s active: %(note)s": "保留版本 #%(version)s：%(note)s",
    "forced: %(note)s": "强制：%(note)s",
    "version #%(version)s is active": "版本 #%(version)s 已启用",
    "feeds rebuilt, then activated": "已重建推荐流并启用",
    "fell back to CPU: CUDA out of memory": "已退回 CPU：CUDA 显存不足",
}


def recognised(note: str) -> bool:
    """Whether every part of ``note`` is one of the known note formats (so it can be shown translated): shown in
    Chinese, no English word of any format is left."""
    words = {w for fmt in services.NOTE_FORMATS for w in re.sub(r"%\(\w+\)s", " ", fmt).split()
             if w.isalpha() and not any(w in zh for zh in ZH.values())}
    with zh_catalogue_with(ZH):
        shown = services.note_display(note)
    return not words & set(re.findall(r"[A-Za-z]+", shown))


def gate(version: ModelVersion, *, same_split: tuple[float, float] | None = None, active=None) -> dict:
    if same_split:
        version.metrics = {**version.metrics, "gate": {"incumbent_version": active.pk, "metric": "ndcg@10",
                                                       "candidate": same_split[0], "incumbent": same_split[1]}}
    return version


def test_the_gate_writes_its_notes_in_english():
    active = ModelVersionFactory(algorithm="ease", metrics={"ndcg@10": 0.2}, is_active=True)
    better = gate(ModelVersionFactory(metrics={"ndcg@10": 0.3}), same_split=(0.31, 0.25), active=active)
    assert services.version_is_not_worse(better, active) == (
        True, f"ndcg@10 0.3100 ≥ 0.2500 (ease of version #{active.pk} refitted on the same split)")
    assert services.version_is_not_worse(better, None) == (True, "no active version")
    worse = ModelVersionFactory(metrics={"ndcg@10": 0.1})
    assert services.version_is_not_worse(worse, active) == (
        False, f"ndcg@10 0.1000 < 0.2000 (version #{active.pk}, stored metric from its own split)")


def test_every_note_the_gate_and_training_write_can_be_shown_translated(staff):
    active = ModelVersionFactory(algorithm="ease", metrics={"ndcg@10": 0.2}, is_active=True)
    no_metric = ModelVersionFactory(algorithm="pop", metrics={})
    notes = [
        services.version_is_not_worse(ModelVersionFactory(), None)[1],
        services.version_is_not_worse(gate(ModelVersionFactory(), same_split=(0.3, 0.2), active=active), active)[1],
        services.version_is_not_worse(ModelVersionFactory(metrics={"ndcg@10": 0.1}), active)[1],
        services.version_is_not_worse(ModelVersionFactory(), no_metric)[1],
        services.version_is_not_worse(no_metric, active)[1],
        services.NOTE_ACTIVATED_BY_STAFF,
        OOM_NOTE,
        "feeds rebuilt, then activated",
    ]
    # what recommender.training writes on the run (and, through version_activate, on the version)
    kept = ModelVersionFactory(metrics={"ndcg@10": 0.1})
    notes.append(_maybe_activate(kept, TrainingRun.objects.create(algorithm="pop"))[1])
    forced = ModelVersionFactory(metrics={"ndcg@10": 0.1})
    notes.append(_maybe_activate(forced, TrainingRun.objects.create(algorithm="pop", forced=True,
                                                                    requested_by=staff))[1])
    forced.refresh_from_db()
    notes.append(forced.note)
    notes.append(_maybe_activate(forced, TrainingRun.objects.create(algorithm="pop"))[1])
    assert [note for note in notes if not recognised(note)] == []


def test_a_nested_note_is_translated_part_by_part():
    note = "activated version #7: forced: ndcg@10 0.1000 < 0.2000 (ease of version #3 refitted on the same split)"
    with zh_catalogue_with(ZH):
        assert services.note_display(note) == (
            "已启用版本 #7：强制：ndcg@10 0.1000 < 0.2000（版本 #3 的 ease 在同一划分上重新拟合）")
    assert services.note_display(note) == note  # English readers see it as stored


def test_lines_and_semicolon_separated_parts_are_translated_and_unknown_text_is_kept():
    note = f"{OOM_NOTE}; version #4 is active\nRuntimeError: boom; no active version"
    with zh_catalogue_with(ZH):
        assert services.note_display(note) == (
            "已退回 CPU：CUDA 显存不足; 版本 #4 已启用\nRuntimeError: boom; 没有启用中的版本")
    assert services.note_display("") == ""


def test_a_broken_translation_falls_back_to_the_english_note():
    with zh_catalogue_with({"no %(metric)s for the new version": "新版本没有 %(指标)s"}):
        assert services.note_display("no ndcg@10 for the new version") == "no ndcg@10 for the new version"


def test_staff_activation_stores_its_note_in_english_whatever_the_staff_language(client, staff):
    version = ModelVersionFactory()
    client.force_login(staff)
    client.post("/zh-hans" + reverse("recommender_staff:activate", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_active and version.note == "activated by staff"


def test_the_staff_page_shows_version_and_run_notes_in_chinese(client, staff):
    version = ModelVersionFactory(note="activated by staff\nno active version")
    TrainingRun.objects.create(algorithm="ease", status="succeeded", version=version, fallback_note=OOM_NOTE,
                               reason=f"activated version #{version.pk}: no active version")
    client.force_login(staff)
    url = "/zh-hans" + reverse("recommender_staff:dashboard")
    with zh_catalogue_with(ZH):
        html = client.get(url).content.decode()
    assert "由管理员启用<br>没有启用中的版本" in html  # "activated by staff" is in the catalogue already
    assert f"已启用版本 #{version.pk}：没有启用中的版本" in html and "(已退回 CPU：CUDA 显存不足)" in html
    assert "no active version" not in html and "activated by staff" not in html
