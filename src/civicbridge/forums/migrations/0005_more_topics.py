"""The taxonomy grows: topics discussed across exchanges (环保 with 垃圾分类, 长期照顾, 医养结合,
社区治理 …), with their broader topics. Frozen here: the codes are stable."""

from django.db import migrations

NEW_TOPICS = [
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

PARENTS = {
    "waste-sorting": "environmental-protection",
    "elderly-care": "elderly-services",
    "long-term-care": "elderly-services",
    "medical-elderly-care": "elderly-services",
    "community-governance": "governance",
}


def add_topics(apps, schema_editor):
    Topic = apps.get_model("forums", "Topic")
    start = 15  # after the fifteen of 0002
    for offset, (code, hans, hant, en) in enumerate(NEW_TOPICS):
        Topic.objects.get_or_create(
            code=code,
            defaults={"name_hans": hans, "name_hant": hant, "name_en": en, "order": start + offset},
        )
    by_code = Topic.objects.in_bulk(list({*PARENTS, *PARENTS.values()}), field_name="code")
    for code, parent in PARENTS.items():
        if code in by_code and parent in by_code and by_code[code].parent_id is None:
            Topic.objects.filter(pk=by_code[code].pk).update(parent=by_code[parent])


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_speakers_at_activities")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
