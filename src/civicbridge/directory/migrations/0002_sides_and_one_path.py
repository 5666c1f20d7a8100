"""Sides as data (mainland, Taiwan) instead of the ``region`` enum; a status for former
places; the NBS and MOI kinds of the national directory; and one path representation:
primary keys, zero-padded (imported places used to carry their official codes)."""

import django.db.models.deletion
from django.db import migrations, models

SIDES = {
    "mainland": {
        "name": "中国大陆",
        "name_hans": "中国大陆",
        "name_hant": "中國大陸",
        "timezone": "Asia/Shanghai",
        "script": "hans",
        "position": 1,
    },
    "taiwan": {
        "name": "臺灣",
        "name_hans": "台湾",
        "name_hant": "臺灣",
        "timezone": "Asia/Taipei",
        "script": "hant",
        "position": 2,
    },
}
REGION_SIDE = {"beijing": "mainland", "taipei": "taiwan"}
PATH_WIDTH = 7


def seed_sides(apps, schema_editor):
    Side = apps.get_model("directory", "Side")
    for code, fields in SIDES.items():
        Side.objects.update_or_create(code=code, defaults=fields)


def _national_codes(Place):
    """Databases imported from the Beijing and Taipei subsets hold 北京市 as a city coded
    110000 and 臺北市 coded 63000000; the national files code them 11 (a province, over the
    市辖区 placeholder 1101) and 63000. Recode them, so that import-directory completes the
    same tree instead of starting a second one."""
    beijing = Place.objects.filter(code="110000", parent__isnull=True).first()
    if beijing is not None and not Place.objects.filter(code="11").exists():
        beijing.code, beijing.kind = "11", "province"
        beijing.save(update_fields=["code", "kind"])
        placeholder = Place.objects.create(
            name="市辖区",
            name_hans="市辖区",
            name_hant="市轄區",
            side_id="mainland",
            region="beijing",
            kind="municipal_districts",
            parent=beijing,
            code="1101",
            search_text="市辖区",
        )
        Place.objects.filter(parent=beijing).exclude(pk=placeholder.pk).update(parent=placeholder)
    taipei = Place.objects.filter(code="63000000", parent__isnull=True).first()
    if taipei is not None and not Place.objects.filter(code="63000").exists():
        taipei.code = "63000"
        taipei.save(update_fields=["code"])


def sides_and_paths(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    for region, side in REGION_SIDE.items():
        Place.objects.filter(region=region).update(side_id=side)
    _national_codes(Place)
    # Rebuild every path from the parent links, top down.
    paths = {}
    level = list(Place.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    while level:
        changed = []
        for place in Place.objects.filter(pk__in=level).only("pk", "parent_id", "path"):
            parent_path = paths.get(place.parent_id, "/")
            place.path = f"{parent_path}{place.pk:0{PATH_WIDTH}d}/"
            paths[place.pk] = place.path
            changed.append(place)
        Place.objects.bulk_update(changed, ["path"], batch_size=2000)
        level = list(Place.objects.filter(parent_id__in=level).values_list("pk", flat=True))


KINDS = [
    ("province", "Province"),
    ("city", "City"),
    ("municipal_districts", "Municipal districts (placeholder)"),
    ("directly_administered_counties", "Directly administered county-level units"),
    ("district", "District"),
    ("county", "County"),
    ("county_level_city", "County-level city"),
    ("county_administered_city", "County-administered city"),
    ("subdistrict", "Sub-district (street)"),
    ("town", "Town"),
    ("township", "Township"),
    ("area", "Area office"),
    ("special_zone", "Special zone"),
    ("community", "Community"),
    ("village", "Village"),
    ("cooperative_living_area", "Cooperative living area"),
    ("li", "Li"),
    ("other", "Other unit"),
]


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Side",
            fields=[
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "name_hans",
                    models.CharField(blank=True, max_length=200, verbose_name="name (Simplified)"),
                ),
                (
                    "name_hant",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="name (Traditional)"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        max_length=16, primary_key=True, serialize=False, verbose_name="code"
                    ),
                ),
                ("timezone", models.CharField(max_length=64, verbose_name="time zone")),
                (
                    "script",
                    models.CharField(
                        choices=[("hans", "简体"), ("hant", "繁體")],
                        max_length=4,
                        verbose_name="script",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=0, verbose_name="position"),
                ),
            ],
            options={
                "verbose_name": "side",
                "verbose_name_plural": "sides",
                "ordering": ["position", "code"],
            },
        ),
        migrations.RunPython(seed_sides, migrations.RunPython.noop),
        migrations.AddField(
            model_name="place",
            name="side",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="places",
                to="directory.side",
                verbose_name="side",
            ),
        ),
        migrations.AddField(
            model_name="place",
            name="status",
            field=models.CharField(
                choices=[("current", "Current"), ("former", "Former")],
                default="current",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(sides_and_paths, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="place", name="directory_p_kind_365f23_idx"),
        migrations.RemoveField(model_name="place", name="region"),
        migrations.AlterField(
            model_name="place",
            name="side",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="places",
                to="directory.side",
                verbose_name="side",
            ),
        ),
        migrations.AlterField(
            model_name="place",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=32, verbose_name="kind"),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["kind", "side"], name="directory_p_kind_side_idx"),
        ),
        migrations.RemoveConstraint(model_name="place", name="place_unique_name_per_parent"),
        migrations.AddConstraint(
            model_name="place",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "current")),
                fields=("parent", "name"),
                name="place_unique_name_per_parent",
            ),
        ),
    ]
