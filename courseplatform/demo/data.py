"""What the demo data is made of: categories, topics, title patterns and creators (``steps.py`` draws from
them with a small generative model of learners; README "Demo data" documents it).

The model:
- each course has a category and a latent appeal a_c ~ LogNormal(0, 0.6);
- each learner has interests θ_u ~ Dirichlet(0.3 · 1) over categories and an activity level
  n_u ~ 3 + Poisson(12) feed sessions;
- in a session the learner is shown 8 courses drawn ∝ a_c (impressions with positions);
  P(click) = σ(-2.2 + 4 θ_u[cat] + 0.5 log a_c - 0.08 position);
  a click leads to a view; P(enrol | view) = σ(-1.2 + 3 θ_u[cat] - 0.01 · price);
  P(complete | enrol) = 0.45; completers rate 3–5 stars, higher when θ_u[cat] is high.
Event times spread over the last 180 days in session order, so leave-last-out splits make sense.
"""

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
