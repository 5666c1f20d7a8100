"""The directory's search index (directory/search.py): match keys of places and people,
with SQLite FTS5 tables (trigram, and unicode61 over spaced characters) kept in step by
triggers, or PostgreSQL pg_trgm and tsvector GIN indexes; then the index of what is there."""

import django.db.models.deletion
from django.db import migrations, models

from civicbridge.directory import search

TABLES = ("directory_placekey", "directory_personkey")


def create_indexes(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [sql for table in TABLES for sql in search.fts_schema(table)]
    elif vendor == "postgresql":
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
        statements += [sql for table in TABLES for sql in search.PG_INDEXES[table]]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for table in TABLES:
            for sql in search.fts_drop(table):
                schema_editor.execute(sql)


def index_existing(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    PlaceAlias = apps.get_model("directory", "PlaceAlias")
    Person = apps.get_model("directory", "Person")
    aliases = {}
    for place_id, name in PlaceAlias.objects.values_list("place_id", "name"):
        aliases.setdefault(place_id, []).append(name)
    places = Place.objects.values_list(
        "pk", "name", "name_hans", "short_name", "short_name_hans", "kind", "path"
    )
    rows = [row[:4] + row[5:] for row in search._place_rows(places, aliases)]  # no depth yet
    columns = tuple(c for c in search.PLACE_COLUMNS if c != "depth")
    search._insert("directory_placekey", columns, rows)
    people = Person.objects.values_list("pk", "name", "name_hans", "name_hant")
    search._insert("directory_personkey", search.PERSON_COLUMNS, search._person_rows(people))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_sides_and_one_path"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(db_index=True, max_length=200)),
                ("spelling", models.TextField()),
                ("chars", models.TextField()),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.person",
                    ),
                ),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="PlaceKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=8)),
                ("level", models.CharField(blank=True, max_length=16)),
                ("key", models.CharField(db_index=True, max_length=200)),
                ("spelling", models.TextField()),
                ("chars", models.TextField()),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.place",
                    ),
                ),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
