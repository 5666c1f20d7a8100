import json
from io import StringIO

from django.core.management import call_command

from tests.demo.test_demo import APPOINTMENTS


def test_export_after_load_demo_holds_the_visit(demo):
    out = StringIO()
    call_command("export", "--no-timestamp", stdout=out)
    doc = json.loads(out.getvalue())
    assert (doc["format"], doc["version"]) == ("civicbridge-export", 2)
    assert len(doc["exchanges"]) == 1
    exchange = doc["exchanges"][0]
    places = {p["id"]: p for p in doc["places"]}
    people = {p["id"]: p for p in doc["people"]}
    groups = {
        (places[g["host_place"]]["name"], g["declared_headcount"]) for g in exchange["groups"]
    }
    assert groups == {("海淀区", 12), ("石景山区", 12), ("门头沟区", 13), ("延庆区", 13)}
    assert len(exchange["forums"]) == 4
    appointments = {
        (
            people[a["person"]]["name"],
            places[a["person_place"]]["name"],
            places[places[a["person_place"]]["parent"]]["name"],
            places[a["community"]]["code"],
        )
        for a in doc["appointments"]
    }
    assert appointments == APPOINTMENTS
