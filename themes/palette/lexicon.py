"""Brand keyword lexicon: English and Simplified Chinese words -> soft target regions in OKLCh.

Each region is a hue centre and width (degrees, OKLCh hue; ``None`` = any hue) and lightness / chroma bands
(OKLab units). The associations are the common ones of colour-psychology and branding literature, summarised
in L. I. Labrecque & G. R. Milne (2012), *Exciting red and competent blue: the importance of color in
marketing*, J. Acad. Mark. Sci. 40:711-727, and A. J. Elliot & M. A. Maier (2014), *Color psychology*, Annu.
Rev. Psychol. 65:95-120: blue for trust/competence/technology, green for growth/nature/health, red/orange for
energy and excitement, deep low-lightness colours for luxury/sophistication, purple for creativity, low chroma
for calm and minimal. They are priors a creator can override with brand colours, not laws.

Keywords are split on commas (``,`` ``，`` ``、``), semicolons and whitespace, matched case-insensitively;
words not in the lexicon are reported back to the caller (``unknown_keywords``), never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """Soft target region in OKLCh: hue centre/width in degrees (None = any hue), L and C bands."""

    name: str
    hue: float | None
    hue_width: float
    l_range: tuple[float, float]
    c_range: tuple[float, float]


_REGIONS = {
    "trust": Region("trust", 255.0, 25.0, (0.40, 0.70), (0.08, 0.25)),
    "tech": Region("tech", 240.0, 30.0, (0.45, 0.75), (0.10, 0.30)),
    "professional": Region("professional", 258.0, 25.0, (0.25, 0.50), (0.05, 0.16)),
    "education": Region("education", 265.0, 30.0, (0.35, 0.65), (0.08, 0.22)),
    "growth": Region("growth", 145.0, 25.0, (0.45, 0.75), (0.10, 0.25)),
    "health": Region("health", 165.0, 30.0, (0.50, 0.80), (0.06, 0.20)),
    "energy": Region("energy", 45.0, 25.0, (0.55, 0.80), (0.15, 0.30)),
    "passion": Region("passion", 25.0, 20.0, (0.45, 0.65), (0.15, 0.30)),
    "warm": Region("warm", 60.0, 30.0, (0.60, 0.85), (0.08, 0.25)),
    "fun": Region("fun", 90.0, 30.0, (0.70, 0.92), (0.12, 0.30)),
    "luxury": Region("luxury", None, 180.0, (0.15, 0.40), (0.02, 0.15)),
    "elegant": Region("elegant", 315.0, 30.0, (0.25, 0.50), (0.04, 0.15)),
    "creative": Region("creative", 320.0, 30.0, (0.45, 0.70), (0.12, 0.30)),
    "innovation": Region("innovation", 290.0, 30.0, (0.45, 0.70), (0.12, 0.30)),
    "calm": Region("calm", 200.0, 35.0, (0.55, 0.85), (0.03, 0.10)),
    "minimal": Region("minimal", None, 180.0, (0.20, 0.95), (0.00, 0.05)),
    "bold": Region("bold", None, 180.0, (0.45, 0.75), (0.18, 0.35)),
    "kids": Region("kids", 100.0, 60.0, (0.65, 0.90), (0.14, 0.30)),
    "nature": Region("nature", 135.0, 30.0, (0.40, 0.70), (0.06, 0.18)),
    "finance": Region("finance", 200.0, 40.0, (0.30, 0.55), (0.05, 0.15)),
    "food": Region("food", 50.0, 25.0, (0.55, 0.80), (0.12, 0.25)),
}

#: Surface word (lower case) -> region name. Chinese synonyms map to the same regions as English ones.
LEXICON: dict[str, str] = {
    **{w: "trust" for w in ("trust", "reliable", "secure", "safe", "信任", "可靠", "安全", "信赖")},
    **{w: "tech" for w in ("tech", "technology", "digital", "ai", "software", "科技", "技术", "数字", "智能")},
    **{w: "professional" for w in ("professional", "corporate", "business", "专业", "商务", "企业")},
    **{w: "education" for w in ("education", "learning", "knowledge", "academic", "教育", "学习", "知识")},
    **{w: "growth" for w in ("growth", "progress", "success", "成长", "增长", "进步", "成功")},
    **{w: "health" for w in ("health", "wellness", "fitness", "medical", "健康", "养生", "医疗", "健身")},
    **{w: "energy" for w in ("energy", "energetic", "dynamic", "active", "活力", "能量", "动感")},
    **{w: "passion" for w in ("passion", "passionate", "love", "热情", "激情", "热爱")},
    **{w: "warm" for w in ("warm", "friendly", "welcoming", "温暖", "友好", "亲切")},
    **{w: "fun" for w in ("fun", "playful", "happy", "joy", "cheerful", "有趣", "快乐", "欢乐", "好玩")},
    **{w: "luxury" for w in ("luxury", "premium", "exclusive", "奢华", "高端", "奢侈", "尊贵")},
    **{w: "elegant" for w in ("elegant", "sophisticated", "refined", "优雅", "精致", "高雅")},
    **{w: "creative" for w in ("creative", "art", "design", "artistic", "创意", "艺术", "设计", "创造")},
    **{w: "innovation" for w in ("innovation", "innovative", "future", "创新", "未来")},
    **{w: "calm" for w in ("calm", "peaceful", "serene", "relaxing", "平静", "宁静", "放松", "冷静")},
    **{w: "minimal" for w in ("minimal", "minimalist", "simple", "clean", "简约", "极简", "简洁")},
    **{w: "bold" for w in ("bold", "vibrant", "strong", "大胆", "鲜艳", "醒目")},
    **{w: "kids" for w in ("kids", "children", "child", "儿童", "少儿", "孩子")},
    **{w: "nature" for w in ("nature", "natural", "eco", "green", "organic", "自然", "环保", "生态")},
    **{w: "finance" for w in ("finance", "money", "investment", "金融", "理财", "投资", "财务")},
    **{w: "food" for w in ("food", "cooking", "delicious", "美食", "烹饪", "料理")},
}

_SPLIT = re.compile(r"[,，、;；\s]+")


def split_keywords(keywords: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """Normalise keywords (a comma/whitespace separated string or a list) into a list of lower-case words."""
    if keywords is None:
        return []
    parts = [keywords] if isinstance(keywords, str) else list(keywords)
    words: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError(f"keywords must be text, got {part!r}")
        words.extend(w.lower() for w in _SPLIT.split(part) if w)
    seen: set[str] = set()
    return [w for w in words if not (w in seen or seen.add(w))]


def lookup(keywords: str | list[str] | tuple[str, ...] | None) -> tuple[list[Region], list[str]]:
    """Map keywords to regions; return (distinct regions in keyword order, unknown words in order)."""
    regions: list[Region] = []
    unknown: list[str] = []
    for word in split_keywords(keywords):
        name = LEXICON.get(word)
        if name is None:
            unknown.append(word)
        elif _REGIONS[name] not in regions:
            regions.append(_REGIONS[name])
    return regions, unknown
