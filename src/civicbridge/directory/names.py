"""The names the directory knows, in both scripts, for core.hans_hant's free-text fixes:
a name inside a sentence comes out the way its record spells it (板溪里, never 板溪裡)."""

from django.db.models import Q

from civicbridge.core import hans_hant
from civicbridge.directory.models import Organisation, Person, Place, PlaceAlias


def known_names():
    # Only names OpenCC can get wrong matter; 里 (li, 八角北里) is the usual culprit, and
    # names kept as written (郁, 余, 于 …) are in every person's pair.
    yield from Place.objects.filter(Q(name__contains="里") | Q(kind="li")).values_list(
        "name_hans", "name_hant"
    )
    yield from (
        Place.objects.exclude(short_name="")
        .filter(short_name__contains="里")
        .values_list("short_name_hans", "short_name_hant")
    )
    yield from Person.objects.values_list("name_hans", "name_hant")
    yield from Organisation.objects.filter(name__contains="里").values_list(
        "name_hans", "name_hant"
    )
    for (alias,) in PlaceAlias.objects.filter(name__contains="里").values_list("name"):
        yield (
            hans_hant.convert_name(alias, hans_hant.HANS),
            hans_hant.convert_name(alias, hans_hant.HANT),
        )
