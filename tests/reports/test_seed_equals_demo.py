"""The seed's gold reading recorded through ``record-facts`` gives the demo's records: the
facts read back through the API from both exchanges are the same set over the required
fields (demo/visit2016.toml reads the report as the gold reading does: one exchange of gifts
given by 阜四社区, no 社区营造 among the topics, rooms visited recorded at their community,
the 阜四小院 visited as a venue, the 门头沟 group's visit of 北京花露蝴蝶园)."""

from tests.reports.readback import SEED, ApiReader, gold, organiser_for, record, required_keys


def test_the_seed_recorded_equals_the_demo(demo, client):
    document = gold(SEED)
    user = organiser_for(document, "seed_organiser")
    seed_id = record(SEED, user)
    client.force_login(user)
    reader = ApiReader(client)
    seed_facts, demo_facts = reader.facts(seed_id), reader.facts(demo.pk)

    def unmatched(facts, others):
        other_keys = {k for f in others for k in required_keys(f)}
        return sorted(
            {required_keys(f)[0] for f in facts if not set(required_keys(f)) & other_keys}
        )

    assert (unmatched(demo_facts, seed_facts), unmatched(seed_facts, demo_facts)) == ([], [])
