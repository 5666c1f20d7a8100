"""The shared taxonomy of topics: (code, Simplified, Traditional, English), the broader
topic of the narrower ones, and the wordings sources use for a topic (its synonyms).

The codes are stable (pages, the API and imports name a topic by its code). Topics added
by organisers later (``services.create_topic``) live only in the database."""

TOPICS = [
    ("elderly-care", "社区养老", "社區養老", "Elderly care"),
    ("volunteering", "志愿服务", "志願服務", "Volunteering"),
    ("public-safety", "治安", "治安", "Public safety"),
    ("funding", "经费保障", "經費保障", "Funding"),
    ("vulnerable-groups", "弱势群体救助", "弱勢群體救助", "Help for vulnerable groups"),
    ("community-culture", "社区文化", "社區文化", "Community culture"),
    ("environment", "环境美化", "環境美化", "Environment and beautification"),
    ("resident-participation", "居民参与", "居民參與", "Resident participation"),
    ("governance", "社会治理", "社會治理", "Social governance"),
    ("community-building", "社区营造", "社區營造", "Community building"),
    ("community-economy", "社区产业", "社區產業", "Community economy"),
    ("food-culture", "美食文化", "美食文化", "Food culture"),
    ("disaster-prevention", "防灾救护", "防災救護", "Disaster prevention and first aid"),
    ("science-education", "科普教育", "科普教育", "Science education"),
    ("resident-consultation", "民主协商", "民主協商", "Resident consultation"),
    # Added with topics discussed anywhere (forums migration 0005).
    ("environmental-protection", "环保", "環保", "Environmental protection"),
    ("waste-sorting", "垃圾分类", "垃圾分類", "Waste sorting"),
    ("elderly-services", "养老服务", "養老服務", "Services for the elderly"),
    ("long-term-care", "长期照顾", "長期照顧", "Long-term care"),
    ("medical-elderly-care", "医养结合", "醫養結合", "Combined medical and elderly care"),
    ("traditional-culture", "传统文化", "傳統文化", "Traditional culture"),
    ("sports", "体育", "體育", "Sports"),
    (
        "historic-city-protection",
        "历史文化名城保护",
        "歷史文化名城保護",
        "Protection of historic and cultural cities",
    ),
    ("community-governance", "社区治理", "社區治理", "Community governance"),
    ("social-work", "社工服务", "社工服務", "Social work services"),
    ("cultural-development", "文化建设", "文化建設", "Cultural development"),
    ("health", "卫生", "衛生", "Health"),
    ("social-welfare", "社会福利", "社會福利", "Social welfare"),
]

# narrower code → broader code
PARENTS = {
    "waste-sorting": "environmental-protection",
    "elderly-care": "elderly-services",
    "long-term-care": "elderly-services",
    "medical-elderly-care": "elderly-services",
    "community-governance": "governance",
}

# code → wordings sources use for the topic besides its names (either script: matching
# folds Simplified and Traditional, ``services.resolve_topic``).
SYNONYMS = {
    "elderly-care": ["为老服务", "居家养老", "社区居家养老"],
    "volunteering": ["志工", "志工服务", "志愿者"],
    "public-safety": ["社会治安", "社区治安", "平安建设"],
    "vulnerable-groups": ["弱势群体", "社会救助"],
    "environment": ["环境整治", "社区环境"],
    "community-building": ["社造"],
    "environmental-protection": ["环境保护"],
    "waste-sorting": ["垃圾分类处理", "资源回收"],
    "elderly-services": ["养老"],
    "long-term-care": ["长照", "长期照护"],
    "medical-elderly-care": ["医养融合"],
    "sports": ["全民健身", "体育健身"],
    "historic-city-protection": ["名城保护", "历史文化保护"],
    "social-work": ["社工", "社会工作"],
    "health": ["医疗卫生", "公共卫生", "卫生健康"],
    "social-welfare": ["福利"],
}
