"""The demo's forums keep their topics and speakers: eighteen topics discussed at the four
forums (each filed under the taxonomy, with the report's wording) and twenty-seven
speakers, each at its forum's activity."""

import pytest

from civicbridge.forums.models import Forum, Speaker, TopicMention

pytestmark = pytest.mark.django_db


def test_demo_forum_topics_and_speakers_unchanged_in_count(demo):
    mentions = TopicMention.objects.filter(exchange=demo)
    assert mentions.count() == 18
    assert mentions.filter(forum__isnull=False, topic__isnull=False).count() == 18
    assert mentions.filter(wording="为老服务").get().topic.code == "elderly-care"
    assert Speaker.objects.filter(activity__exchange=demo).count() == 27
    assert sorted(f.speakers.count() for f in Forum.objects.filter(activity__exchange=demo)) == [
        6,
        6,
        7,
        8,
    ]
