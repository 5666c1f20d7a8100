"""The gold readings of shared/reports recorded through ``record-facts`` by an organiser and
read back through the API: every gold fact is found again (score.py's own ``matches``), and
every coded place resolves to its code (recall and resolution 1.0 per report)."""

import pytest

from tests.reports.readback import (
    GOLD_DIR,
    ApiReader,
    expand,
    found,
    gold,
    organiser_for,
    record,
    score,
)

GOLD_FILES = sorted(p.name for p in GOLD_DIR.glob("*.json"))


@pytest.mark.parametrize("name", GOLD_FILES)
def test_gold_reading_recorded_and_read_back(gold_directory, client, name):
    document = gold(name)
    user = organiser_for(document)
    exchange_id = record(name, user)
    client.force_login(user)
    reading = ApiReader(client).facts(exchange_id)
    missing = [g for g in document["facts"] if found(g, reading) is None]
    assert missing == []
    unresolved_codes = [
        g
        for g in document["facts"]
        if g.get("code")
        and not any(
            score.matches(g, f) and str(f.get("code") or "") == g["code"]
            for fact in reading
            for f in expand(fact)
        )
    ]
    assert unresolved_codes == []
