"""The shared taxonomy of forum topics: (code, Simplified, Traditional, English)."""

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
]
