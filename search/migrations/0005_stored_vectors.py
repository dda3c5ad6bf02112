"""A stored tsvector per searched row (PostgreSQL only; nothing on other databases).

The indexes of 0003 let PostgreSQL find the matching rows, but ranking them
computed `to_tsvector` again for each one, and the planner often preferred a
sequential scan that computed it for every row: a search for « pancréas »
over 5,000 trials took about 350 ms in SQL alone. A generated column keeps
the vector with its row (PostgreSQL recomputes it on every write of
`search_text`, whatever writes it: the ORM, an import, `update()`), so
matching and ranking read it. The models know nothing of these columns: the
Django ORM never writes a generated column, and the search names them
itself (search/engine.py). They replace the full-text expression indexes of
0003; the trigram indexes stay.
"""

from django.db import migrations

TEXT_TABLES = [
    "centres_centre",
    "rcp_rcp",
    "trials_trial",
    "content_newsitem",
    "content_document",
]
PERSON_TEXT = "pantogether_unaccent(lower(first_name || ' ' || last_name || ' ' || specialty))"
VECTORS = [
    (table, "to_tsvector('french'::regconfig, COALESCE(search_text, ''))") for table in TEXT_TABLES
] + [("centres_person", f"to_tsvector('simple'::regconfig, COALESCE({PERSON_TEXT}, ''))")]

FORWARD = [
    statement
    for table, expression in VECTORS
    for statement in (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED",
        f"CREATE INDEX IF NOT EXISTS search_{table}_vector ON {table} USING gin (search_vector)",
        f"DROP INDEX IF EXISTS search_{table}_fts",
    )
]
BACKWARD = [
    statement
    for table, expression in VECTORS
    for statement in (
        f"CREATE INDEX IF NOT EXISTS search_{table}_fts ON {table} USING gin ({expression})",
        f"DROP INDEX IF EXISTS search_{table}_vector",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
    )
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_unaccent_for_restores")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
