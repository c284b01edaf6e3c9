"""Deterministic demo data drawn from a small generative model of learners.

Model (documented in README "Demo data"):
- each course has a category and a latent appeal a_c ~ LogNormal(0, 0.6);
- each learner has interests θ_u ~ Dirichlet(0.3 · 1) over categories and an activity level
  n_u ~ 3 + Poisson(12) feed sessions;
- in a session the learner is shown 8 courses drawn ∝ a_c (impressions with positions);
  P(click) = σ(-2.2 + 4 θ_u[cat] + 0.5 log a_c - 0.08 position);
  a click leads to a view; P(enrol | view) = σ(-1.2 + 3 θ_u[cat] - 0.01 · price);
  P(complete | enrol) = 0.45; completers rate 3–5 stars, higher when θ_u[cat] is high.
Event times spread over the last 180 days in session order, so leave-last-out splits make sense.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import numpy as np

CATEGORIES = [
    ("data-science", "Data Science", "数据科学"),
    ("programming", "Programming", "编程开发"),
    ("design", "Design", "设计"),
    ("business", "Business", "商业管理"),
    ("marketing", "Marketing", "市场营销"),
    ("languages", "Languages", "语言学习"),
    ("music", "Music", "音乐"),
    ("photography", "Photography", "摄影"),
    ("health", "Health & Fitness", "健康健身"),
    ("finance", "Personal Finance", "个人理财"),
]

TOPICS = {
    "data-science": (["Pandas", "Machine Learning", "Statistics", "SQL", "Deep Learning", "Data Visualisation"],
                     ["机器学习", "数据分析", "统计学", "深度学习", "数据可视化", "Python 数据处理"]),
    "programming": (["Python", "Django", "Rust", "TypeScript", "Go", "Algorithms"],
                    ["Python 编程", "Web 开发", "算法与数据结构", "前端工程", "Go 语言", "系统设计"]),
    "design": (["UI Design", "Colour Theory", "Typography", "Figma", "Brand Identity", "Illustration"],
               ["UI 设计", "色彩理论", "字体设计", "品牌设计", "插画", "交互设计"]),
    "business": (["Product Management", "Startups", "Leadership", "Negotiation", "Strategy", "Operations"],
                 ["产品管理", "创业", "领导力", "谈判技巧", "商业战略", "项目管理"]),
    "marketing": (["SEO", "Content Marketing", "Social Media", "Email Marketing", "Copywriting", "Analytics"],
                  ["搜索引擎优化", "内容营销", "社交媒体运营", "电商运营", "文案写作", "增长黑客"]),
    "languages": (["Spanish", "Mandarin", "Japanese", "French", "Business English", "German"],
                  ["商务英语", "日语入门", "法语", "西班牙语", "雅思备考", "汉语写作"]),
    "music": (["Guitar", "Piano", "Music Theory", "Songwriting", "Music Production", "Singing"],
              ["吉他", "钢琴", "乐理", "作曲", "音乐制作", "声乐"]),
    "photography": (["Portrait Photography", "Lightroom", "Street Photography", "Film Cameras", "Drone Video",
                     "Lighting"], ["人像摄影", "后期修图", "街头摄影", "手机摄影", "视频剪辑", "布光"]),
    "health": (["Yoga", "Nutrition", "Strength Training", "Running", "Mindfulness", "Sleep"],
               ["瑜伽", "营养学", "力量训练", "跑步", "冥想", "健康睡眠"]),
    "finance": (["Investing", "Budgeting", "Index Funds", "Taxes", "Retirement", "Crypto Basics"],
                ["投资入门", "理财规划", "基金定投", "个人税务", "退休规划", "财务自由"]),
}
EN_PATTERNS = ["{t} for Beginners", "Mastering {t}", "{t}: The Complete Guide", "Practical {t}",
               "{t} in 30 Days", "Advanced {t}"]
ZH_PATTERNS = ["{t}从入门到精通", "零基础学{t}", "{t}实战课", "{t}进阶指南", "30天掌握{t}", "{t}核心技能"]

CREATORS = [
    ("ada", "Ada Lin", "Data Dojo", "data-dojo", ["#1e88e5"], "tech, trust"),
    ("wei", "王伟", "伟老师编程", "wei-code", ["#2e7d32"], "科技, 成长"),
    ("maria", "María García", "Studio Color", "studio-color", ["#e91e63", "#f9a825"], "creative, playful"),
    ("kenji", "Kenji Sato", "Lens & Light", "lens-light", ["#212121"], "luxury, calm"),
    ("amara", "Amara Okafor", "Grow Business School", "grow-biz", ["#00897b"], "growth, trust"),
    ("li", "李娜", "娜姐理财", "na-finance", ["#c62828"], "专业, 稳重"),
    ("sam", "Sam Rivera", "Move Well", "move-well", ["#ff7043"], "energy, health"),
    ("yuki", "Yuki Tanaka", "Polyglot Lab", "polyglot-lab", ["#6a1b9a"], "friendly, culture"),
]

PASSWORD = "demo-pass-2026"


@dataclass
class DemoSummary:
    users: int
    courses: int
    enrollments: int
    interactions: int


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def seed_demo(*, seed: int = 7, n_courses: int = 200, n_learners: int = 1000,
              progress: Callable[[str, int], Callable[[int], None]] | None = None) -> DemoSummary:
    """Create (or complete) the demo data; running it again changes nothing."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from courseplatform.accounts.models import User
    from recommender.models import Interaction

    from .models import Category, Course, Enrollment, Review, Storefront

    rng = np.random.default_rng(seed)
    namespace = uuid.UUID(int=seed)
    password_hash = make_password(PASSWORD)
    tick = progress or (lambda label, total: (lambda n=1: None))

    with transaction.atomic():
        categories = []
        for slug, name, name_zh in CATEGORIES:
            cat, _ = Category.objects.get_or_create(slug=slug, defaults={"name": name, "name_zh": name_zh})
            categories.append(cat)
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "display_name": "Site admin",
                                        "email": "admin@example.com"})
        if created:
            admin.password = password_hash
            admin.save(update_fields=["password"])
        storefronts = []
        for username, display, shop, slug, colors, keywords in CREATORS:
            creator, created = User.objects.get_or_create(
                username=username, defaults={"role": User.Role.CREATOR, "display_name": display,
                                             "password": password_hash, "email": f"{username}@example.com"})
            store, _ = Storefront.objects.get_or_create(
                slug=slug, defaults={"owner": creator, "name": shop, "brand_colors": colors,
                                     "brand_keywords": [k.strip() for k in keywords.split(",")],
                                     "tagline": f"Courses by {display}"})
            storefronts.append(store)

    # Courses: each storefront favours two categories.
    step = tick("courses", n_courses)
    appeal = rng.lognormal(0.0, 0.6, size=n_courses)
    courses: list[Course] = []
    seen_titles: set[str] = set()
    with transaction.atomic():
        for i in range(n_courses):
            s_idx = i % len(storefronts)
            cat_idx = (2 * s_idx + int(rng.integers(0, 2))) % len(categories) if rng.random() < 0.8 \
                else int(rng.integers(0, len(categories)))
            cat = categories[cat_idx]
            en_topics, zh_topics = TOPICS[cat.slug]
            chinese = rng.random() < 0.4
            topic = (zh_topics if chinese else en_topics)[int(rng.integers(0, 6))]
            pattern = (ZH_PATTERNS if chinese else EN_PATTERNS)[int(rng.integers(0, 6))]
            title = pattern.format(t=topic)
            if title in seen_titles:
                title = f"{title} ({i + 1})"
            seen_titles.add(title)
            price = Decimal(str(int(rng.choice([0, 19, 29, 49, 79, 99, 149]))))
            course, _ = Course.objects.get_or_create(
                storefront=storefronts[s_idx], title=title,
                defaults={
                    "subtitle": ("系统学习" + topic) if chinese else f"A hands-on course in {topic}",
                    "description": f"{title}\n\n" + ("课程包含视频、练习与项目。" if chinese else
                                                     "Videos, exercises and a final project."),
                    "category": cat, "tags": [topic.lower()[:40], cat.slug],
                    "level": ["beginner", "intermediate", "advanced"][int(rng.integers(0, 3))],
                    "language": "zh-hans" if chinese else "en", "price": price, "published": True,
                })
            courses.append(course)
            step(1)
    course_cat = np.array([categories.index(c.category) for c in courses])
    prices = np.array([float(c.price) for c in courses])

    # Learners with latent interests.
    step = tick("learners", n_learners)
    existing = set(User.objects.filter(username__startswith="learner").values_list("username", flat=True))
    new_users = []
    thetas = rng.dirichlet(np.full(len(categories), 0.3), size=n_learners)
    for u in range(n_learners):
        name = f"learner{u + 1}"
        if name not in existing:
            new_users.append(User(username=name, role=User.Role.LEARNER, password=password_hash,
                                  display_name=f"Learner {u + 1}"))
        step(1)
    User.objects.bulk_create(new_users, batch_size=500)
    learners = {u.username: u for u in User.objects.filter(username__startswith="learner")}
    interest_rows = []
    Through = User.interests.through
    if not Through.objects.filter(user__username__startswith="learner").exists():
        for u in range(n_learners):
            for c in np.argsort(-thetas[u])[:2]:
                interest_rows.append(Through(user_id=learners[f"learner{u + 1}"].pk, category_id=categories[c].pk))
        Through.objects.bulk_create(interest_rows, ignore_conflicts=True)

    # Interaction history.
    step = tick("interactions", n_learners)
    now = timezone.now()
    start = now - timedelta(days=180)
    p_show = appeal / appeal.sum()
    events, enrollments, reviews = [], [], []
    counter = 0

    def emit(u: int, learner, c: int, ts, pos: int, kind: str, value: float | None = None) -> None:
        nonlocal counter
        counter += 1
        events.append(Interaction(
            event_id=uuid.uuid5(namespace, f"{u}-{counter}"), user=learner, course=courses[c],
            type=kind, ts=ts, value=value, surface="home", position=pos))

    for u in range(n_learners):
        learner = learners[f"learner{u + 1}"]
        enrolled: set[int] = set()
        n_sessions = 3 + int(rng.poisson(12))
        times = np.sort(rng.uniform(0, 180 * 86400, size=n_sessions))
        for s in range(n_sessions):
            t = start + timedelta(seconds=float(times[s]))
            shown = rng.choice(n_courses, size=8, replace=False, p=p_show)
            for pos, c in enumerate(shown):
                counter += 1
                ts = t + timedelta(seconds=pos)

                def ev(kind, value=None, _c=int(c), _ts=ts, _pos=pos, _u=u, _learner=learner):
                    emit(_u, _learner, _c, _ts, _pos, kind, value)

                ev("impression")
                affinity = thetas[u, course_cat[c]]
                if rng.random() < _sigmoid(-2.2 + 4 * affinity + 0.5 * np.log(appeal[c]) - 0.08 * pos):
                    ev("click")
                    ev("view")
                    if c not in enrolled and rng.random() < _sigmoid(-1.2 + 3 * affinity - 0.01 * prices[c]):
                        enrolled.add(int(c))
                        ev("enroll")
                        done = rng.random() < 0.45
                        enrollments.append(Enrollment(learner=learner, course=courses[c], price_paid=courses[c].price,
                                                      created_at=ts, completed_at=ts + timedelta(days=7) if done else None))
                        if done:
                            ev("complete")
                            stars = int(np.clip(round(3 + 2 * affinity + rng.normal(0, 0.7)), 1, 5))
                            ev("rate", float(stars))
                            reviews.append(Review(learner=learner, course=courses[c], rating=stars,
                                                  text="" if rng.random() < 0.6 else "Great course!"))
        step(1)
    with transaction.atomic():
        Interaction.objects.bulk_create(events, batch_size=2000, ignore_conflicts=True)
        Enrollment.objects.bulk_create(enrollments, batch_size=2000, ignore_conflicts=True)
        Review.objects.bulk_create(reviews, batch_size=2000, ignore_conflicts=True)
    return DemoSummary(users=User.objects.count(), courses=Course.objects.count(),
                       enrollments=Enrollment.objects.count(), interactions=Interaction.objects.count())
