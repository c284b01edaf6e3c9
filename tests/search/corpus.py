"""The relevance corpus: English and Chinese courses, and queries with the courses a good search returns.

``RELEVANT`` lists every course that answers the query (the first ones are the best answers); precision@5 is
the share of the top five that are relevant, out of min(5, number relevant)."""

from decimal import Decimal

from courseplatform.catalog.models import Category, Course
from courseplatform.search import services
from tests.factories import CreatorFactory, StorefrontFactory

CATEGORIES = {
    "programming": ("Programming", "编程"),
    "data-science": ("Data Science", "数据科学"),
    "design": ("Design", "设计"),
    "business": ("Business", "商业"),
    "languages": ("Languages", "语言"),
}
STOREFRONTS = {"code": "Code Academy", "pixel": "Pixel Studio", "biz": "Ledger & Co", "zh": "启明学堂"}
# key: (title, subtitle, description, category, storefront, language, level, price)
COURSES = {
    "py-beginners": ("Python for Beginners", "Write your first programs",
                     "Variables, loops and functions, step by step.", "programming", "code", "en", "beginner", 0),
    "py-advanced": ("Advanced Python: Concurrency and Performance", "Threads, asyncio and profiling",
                    "Make programs fast and correct.", "programming", "code", "en", "advanced", 49),
    "django": ("Django Web Development", "Build web applications with Python and Django",
               "Models, views, templates and deployment.", "programming", "code", "en", "intermediate", 39),
    "js": ("JavaScript Essentials", "The language of the web", "Functions, closures, the DOM and events.",
           "programming", "code", "en", "beginner", 19),
    "ml": ("Machine Learning with Python", "From regression to neural networks",
           "Supervised and unsupervised learning with scikit-learn.", "data-science", "code", "en", "intermediate", 59),
    "pandas": ("Data Analysis with Pandas", "Clean, explore and visualise data",
               "The pandas library for Python: data frames, grouping, plotting.", "data-science", "code", "en",
               "beginner", 29),
    "deep": ("Deep Learning Fundamentals", "Neural networks from scratch",
             "Backpropagation, convolutions and training tricks.", "data-science", "code", "en", "advanced", 79),
    "stats": ("Statistics for Data Science", "Probability, inference and testing",
              "Distributions and hypothesis tests, explained.", "data-science", "code", "en", "beginner", 0),
    "graphic": ("Graphic Design Basics", "Colour, typography and layout", "Posters, logos and grids.",
                "design", "pixel", "en", "beginner", 25),
    "ux": ("UX Design Principles", "Research, wireframes and usability testing", "Interviews and prototypes.",
           "design", "pixel", "en", "intermediate", 35),
    "photo": ("Photography Masterclass", "Composition and light", "Cameras, lenses and editing.",
              "design", "pixel", "en", "beginner", 45),
    "marketing": ("Marketing Strategy", "Brand, positioning and campaigns", "Segments, channels and budgets.",
                  "business", "biz", "en", "intermediate", 30),
    "accounting": ("Financial Accounting", "Balance sheets explained", "Ledgers, journals and reports.",
                   "business", "biz", "en", "beginner", 20),
    "pm": ("Project Management Professional", "Plan and deliver projects", "Scope, schedule and risk.",
           "business", "biz", "en", "advanced", 99),
    "spanish": ("Spanish for Travellers", "Order food and ask the way", "Everyday phrases and pronunciation.",
                "languages", "biz", "en", "beginner", 0),
    "pasta": ("Cooking Italian Pasta", "Fresh pasta at home", "Dough, shapes and sauces.", "business", "biz",
              "en", "beginner", 15),
    "zh-ml": ("机器学习实战：从零开始构建模型", "用Python实现经典算法", "本课程介绍监督学习和无监督学习的核心算法。",
              "data-science", "zh", "zh-hans", "intermediate", 99),
    "zh-deep": ("深度学习入门", "神经网络与卷积网络", "从感知机到卷积神经网络。", "data-science", "zh", "zh-hans",
                "beginner", 0),
    "zh-py": ("Python编程基础", "零基础学编程", "变量、循环与函数。", "programming", "zh", "zh-hans", "beginner", 0),
    "zh-data": ("数据分析与可视化", "使用Pandas和Matplotlib", "清洗、探索和展示数据。", "data-science", "zh", "zh-hans",
                "intermediate", 49),
    "zh-design": ("平面设计入门", "色彩、排版与构图", "海报与标志设计。", "design", "zh", "zh-hans", "beginner", 29),
    "zh-marketing": ("市场营销策略", "品牌定位与推广", "渠道、预算与活动。", "business", "zh", "zh-hans",
                     "intermediate", 39),
    "zh-english": ("英语口语速成", "日常交流与发音", "情景对话练习。", "languages", "zh", "zh-hans", "beginner", 19),
    "zh-study": ("学习方法：高效学习的科学", "记忆与专注", "如何安排复习。", "business", "zh", "zh-hans", "beginner", 0),
    "zh-photo": ("摄影技巧大全", "构图与用光", "相机、镜头与后期。", "design", "zh", "zh-hans", "beginner", 25),
    "zh-web": ("Web前端开发：HTML、CSS与JavaScript", "从零做出网页", "布局、交互与调试。", "programming", "zh",
               "zh-hans", "beginner", 35),
}
#: query -> relevant courses, best first
RELEVANT = {
    "python": ["py-beginners", "py-advanced", "ml", "zh-py", "django", "zh-ml", "pandas"],
    "machine learning": ["ml"],
    "design": ["graphic", "ux", "zh-design", "photo", "zh-photo"],
    "pyhton": ["py-beginners", "py-advanced", "ml", "zh-py", "django", "zh-ml", "pandas"],  # typo
    "javscript": ["js", "zh-web"],  # typo
    "machne lerning": ["ml"],  # two typos
    "neural networks": ["deep", "ml"],
    "django": ["django"],
    "pixel studio": ["graphic", "ux", "photo"],  # storefront name
    "data analysis": ["pandas"],
    "机器学习": ["zh-ml"],
    "深度学习": ["zh-deep"],
    "学习": ["zh-study", "zh-ml", "zh-deep"],
    "数据分析": ["zh-data"],
    "设计": ["zh-design", "graphic", "ux", "photo", "zh-photo"],
    "营销": ["zh-marketing"],
    "编程": ["zh-py", "py-beginners", "py-advanced", "django", "js", "zh-web"],  # title, then the category
}


def build(*, published: bool = True) -> dict[str, Course]:
    """Create the corpus and index it; returns the courses by key."""
    categories = {slug: Category.objects.get_or_create(slug=slug, defaults={"name": n, "name_zh": zh})[0]
                  for slug, (n, zh) in CATEGORIES.items()}
    owner = CreatorFactory()
    storefronts = {key: StorefrontFactory(owner=owner, name=name, slug=f"corpus-{key}")
                   for key, name in STOREFRONTS.items()}
    courses = {}
    for key, (title, subtitle, description, cat, store, language, level, price) in COURSES.items():
        courses[key] = Course.objects.create(
            storefront=storefronts[store], title=title, subtitle=subtitle, description=description,
            category=categories[cat], language=language, level=level, price=Decimal(price), published=published)
    services.rebuild_index()
    return courses
