"""The twelve single-seed development briefs of the palette issue (seed locked as primary), with keywords.

Shared by the tests and ``bench/palette.py`` so both measure the same briefs.
"""

DEVELOPMENT_BRIEFS: dict[str, str] = {
    "#1E88E5": "tech, trust",
    "#2E7D32": "growth, nature",
    "#C62828": "energy, passion",
    "#F9A825": "fun, warm",
    "#6A1B9A": "creative, luxury",
    "#00897B": "health, calm",
    "#FF7043": "energy, friendly",
    "#212121": "minimal, professional",
    "#FAFAFA": "minimal, elegant",
    "#8D6E63": "warm, nature",
    "#00B8D4": "tech, fun",
    "#E91E63": "passion, creative",
}

#: Second development set, of the same kinds as the bench's held-out briefs (two to four brand colours, locks in
#: several roles, a neutral among them, Chinese keywords) but with other colours and words, so the engine can be
#: tuned for multi-colour briefs without looking at the held-out set. Each: brand colours, locks, keywords.
MULTI_DEVELOPMENT_BRIEFS: list[dict] = [
    {"brand_colors": ["#1565C0", "#FF8F00"], "locks": ["#1565C0:primary"], "keywords": "学习, 可靠"},
    {"brand_colors": ["#2E7D32", "#FDD835", "#263238"], "locks": ["#2E7D32"], "keywords": "环保, 成长"},
    {"brand_colors": ["#E64A19", "#FFAB40"], "locks": ["#E64A19"], "keywords": "料理, 亲切"},
    {"brand_colors": ["#3949AB", "#26C6DA"], "locks": ["#3949AB:primary", "#26C6DA:accent"],
     "keywords": "智能, 创造"},
    {"brand_colors": ["#4A148C", "#D4AF37"], "locks": ["#4A148C"], "keywords": "奢华, 精致"},
    {"brand_colors": ["#C2185B", "#00838F"], "locks": [], "keywords": "动感, 醒目"},
    {"brand_colors": ["#7B1FA2", "#FFB300", "#4FC3F7"], "locks": ["#7B1FA2"], "keywords": "少儿, 欢乐"},
    {"brand_colors": ["#455A64", "#00C853"], "locks": ["#00C853:primary"], "keywords": "数字, 大胆"},
    {"brand_colors": ["#33691E", "#AED581"], "locks": ["#33691E", "#F4F8EC:background"],
     "keywords": "生态, 简洁, 宁静"},
    {"brand_colors": ["#B71C1C", "#FFCDD2"], "locks": ["#B71C1C", "#FFCDD2:secondary"],
     "keywords": "热爱, 高雅"},
    {"brand_colors": ["#0D47A1", "#90CAF9"], "locks": ["#0D47A1"], "keywords": "理财, 商务"},
    {"brand_colors": ["#E53935", "#1E88E5", "#43A047", "#FDD835"], "locks": ["#1E88E5"],
     "keywords": "知识, 好玩, 孩子"},
]
