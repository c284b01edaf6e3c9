"""The backend's own index structures: PostgreSQL's GIN index on the weighted tsvector and pg_trgm's GiST index
on the vocabulary (typo correction); SQLite's FTS5 table (rowid = course id)."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON "search_searchdocument" USING gin ("vector")',
    'CREATE INDEX IF NOT EXISTS search_term_trgm ON "search_searchterm" USING gist ("term" gist_trgm_ops)',
]
PG_BACKWARD = ["DROP INDEX IF EXISTS search_term_trgm", "DROP INDEX IF EXISTS search_doc_vector_gin"]
SQLITE_FORWARD = ["CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                  "title, subtitle, meta, body, tokenize = 'unicode61 remove_diacritics 2')"]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
                             _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})),
    ]
