"""`pantogether_unaccent` names the schema of the unaccent extension.

pg_restore (and pg_dump's SQL output) runs with an empty search_path, so an
unqualified `unaccent` in the function's body cannot be found when the person
indexes are rebuilt, and every restore of a PostgreSQL dump failed
(`manage.py restore`). The body now names the extension's schema; the result,
and so the indexes, are unchanged.
"""

from django.db import migrations

OLD_BODY = "SELECT unaccent('unaccent'::regdictionary, $1)"


def _define(body_of):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension "
                "WHERE extname = 'unaccent'"
            )
            schema = cursor.fetchone()[0]
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION pantogether_unaccent(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
            f"AS $$ {body_of(schema)} $$"
        )

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgresql_indexes")]

    operations = [
        migrations.RunPython(
            _define(
                lambda schema: f"SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1)"
            ),
            _define(lambda schema: OLD_BODY),
        )
    ]
