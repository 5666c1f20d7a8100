"""The depth of each indexed place (higher levels first in type-ahead, read off one
(key, depth) index), and the FTS5 tables made again: SQLite drops a table's triggers when
Django remakes the table, and the trigram table needs full detail for phrase queries."""

from django.db import migrations, models

from civicbridge.directory import search

TABLES = ("directory_placekey", "directory_personkey")


def fill_depth_and_remake_fts(apps, schema_editor):
    schema_editor.execute(
        "UPDATE directory_placekey SET depth = (SELECT length(p.path)"
        " - length(replace(p.path, '/', '')) - 1 FROM directory_place p"
        " WHERE p.id = directory_placekey.place_id)"
    )
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for sql in search.fts_drop(table):
            schema_editor.execute(sql)
        for sql in search.fts_schema(table):
            schema_editor.execute(sql)
        for virtual in search.FTS_TABLES[table]:
            schema_editor.execute(f"INSERT INTO {virtual}({virtual}) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="placekey",
            name="depth",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="placekey",
            name="key",
            field=models.CharField(max_length=200),
        ),
        migrations.AddIndex(
            model_name="placekey",
            index=models.Index(fields=["key", "depth"], name="directory_placekey_key_depth"),
        ),
        migrations.RunPython(fill_depth_and_remake_fts, migrations.RunPython.noop),
    ]
