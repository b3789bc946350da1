"""The full-text index of the communities' posts (docs/communities/search.md), each
database its own engine:

- SQLite: an FTS5 external-content table over ``communities_post.search_document``
  (accents removed by the tokenizer too), kept in step by three triggers, and filled from
  the posts already there;
- PostgreSQL: a GIN index on ``to_tsvector('simple', search_document)``.

A later migration that remakes ``communities_post`` on SQLite (Django copies the table for
most column changes) drops its triggers: it must run ``SQLITE_TRIGGERS`` again
(tests/communities/test_search_index.py fails if they are missing).
"""

from django.db import migrations

FTS = "communities_post_fts"

SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_document, "
    "content='communities_post', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON communities_post BEGIN "
    f"INSERT INTO {FTS}(rowid, search_document) VALUES (new.id, new.search_document); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON communities_post BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE OF search_document "
    "ON communities_post WHEN old.search_document IS NOT new.search_document BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    f"INSERT INTO {FTS}(rowid, search_document) VALUES (new.id, new.search_document); END",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
)
POSTGRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS communities_post_search_gin ON communities_post "
    "USING gin (to_tsvector('simple'::regconfig, search_document))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS communities_post_search_gin"


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, (SQLITE_TABLE, *SQLITE_TRIGGERS))
        _run(schema_editor, (f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",))
    elif vendor == "postgresql":
        _run(schema_editor, (POSTGRES_INDEX,))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, (POSTGRES_DROP,))


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
