"""PostgreSQL's gram tables (directory/search.py): every distinct one- and two-character
substring of each place and person spelling, keyed (gram, key_id), kept in step with the key
tables by triggers and filled here from the key rows there are. Short type-ahead queries
read them instead of the tsvector GIN. Nothing on SQLite (FTS5 unicode61 serves them)."""

from django.db import migrations

from civicbridge.directory import search

TABLES = ("directory_placekey", "directory_personkey")


def create_grams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for sql in search.pg_gram_schema(table):
            schema_editor.execute(sql)


def drop_grams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for sql in search.pg_gram_drop(table):
            schema_editor.execute(sql)
    schema_editor.execute("DROP FUNCTION IF EXISTS directory_grams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_place_merged_and_retired"),
    ]

    operations = [
        migrations.RunPython(create_grams, drop_grams),
    ]
