"""The seed report *read* (reports.reading, not its hand-made gold reading) and recorded on a
database holding only the directory and the demo gives the demo's facts: the facts read back
through the API from both exchanges are the same set over the required fields."""

import datetime as dt

import pytest

from civicbridge.reports.reading.extract import read_report
from civicbridge.reports.services import record_facts
from tests.reports.readback import SEED, SHARED, ApiReader, gold, organiser_for, required_keys

SEED_TEXT = SHARED / "seed" / "000_9030eb490722e56b.txt"

pytestmark = pytest.mark.skipif(
    not SEED_TEXT.exists(), reason="../shared/seed is not beside the project"
)


def test_the_seed_read_and_recorded_equals_the_demo(demo, client):
    # The seed's file carries no date: the command is given it (ingest-report --published).
    document = read_report(SEED_TEXT.read_text(encoding="utf-8"), published=dt.date(2016, 4, 25))
    user = organiser_for(gold(SEED), "seed_reader")
    exchange = record_facts(document=document, actor=user).exchange
    client.force_login(user)
    reader = ApiReader(client)
    read_facts, demo_facts = reader.facts(exchange.pk), reader.facts(demo.pk)

    def unmatched(facts, others):
        other_keys = {k for f in others for k in required_keys(f)}
        return sorted(
            {required_keys(f)[0] for f in facts if not set(required_keys(f)) & other_keys}
        )

    assert (unmatched(demo_facts, read_facts), unmatched(read_facts, demo_facts)) == ([], [])
