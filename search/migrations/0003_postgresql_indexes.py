"""PostgreSQL indexes for the site search (nothing on other databases).

Full-text (GIN on the French tsvector of each `search_text`, the expression
search/engine.py queries) and trigram (GIN gin_trgm_ops, for the word
similarity operator %>) indexes, so that a search reads indexes instead of
computing a vector for each of 5,000 trials. People's names go through
`pantogether_unaccent`, an IMMUTABLE wrapper of unaccent (unaccent itself is
only STABLE, and an index needs an immutable expression).

They live here, beside the queries that need them, not in the apps whose
tables they index: those apps know nothing of the site search.
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

FORWARD = [
    "CREATE OR REPLACE FUNCTION pantogether_unaccent(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$",
    *(
        f"CREATE INDEX IF NOT EXISTS search_{table}_fts ON {table} "
        f"USING gin (to_tsvector('french'::regconfig, COALESCE(search_text, '')))"
        for table in TEXT_TABLES
    ),
    *(
        f"CREATE INDEX IF NOT EXISTS search_{table}_trgm ON {table} "
        f"USING gin (search_text gin_trgm_ops)"
        for table in TEXT_TABLES
    ),
    "CREATE INDEX IF NOT EXISTS search_centres_person_fts ON centres_person "
    f"USING gin (to_tsvector('simple'::regconfig, COALESCE({PERSON_TEXT}, '')))",
    f"CREATE INDEX IF NOT EXISTS search_centres_person_trgm ON centres_person "
    f"USING gin (({PERSON_TEXT}) gin_trgm_ops)",
]
BACKWARD = [
    *(f"DROP INDEX IF EXISTS search_{table}_fts" for table in TEXT_TABLES),
    *(f"DROP INDEX IF EXISTS search_{table}_trgm" for table in TEXT_TABLES),
    "DROP INDEX IF EXISTS search_centres_person_fts",
    "DROP INDEX IF EXISTS search_centres_person_trgm",
    "DROP FUNCTION IF EXISTS pantogether_unaccent(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_admin_groups"),
        ("centres", "0007_overseas_phones_in_national_form"),
        ("rcp", "0006_quorum_and_case_guides"),
        ("trials", "0005_overseas_phones_in_national_form"),
        ("content", "0003_pages"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
