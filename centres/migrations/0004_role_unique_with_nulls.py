"""Role uniqueness that holds when a role has no centre or no axis.

The unique constraint on (person, kind, centre, axis) never fired when centre
or axis was NULL (most roles), so identical roles could be stored. The new
constraint compares COALESCE(centre, 0) and COALESCE(axis, 0). Before adding
it, the exact duplicates already stored are removed, keeping the oldest row
(lowest pk) of each group; their history rows stay.
"""

import django.db.models.functions.comparison
from django.db import migrations, models


def remove_duplicate_roles(apps, schema_editor):
    """Delete every role identical (NULLs equal) to one with a lower pk."""
    Role = apps.get_model("centres", "Role")
    roles = Role.objects.using(schema_editor.connection.alias)
    seen = set()
    duplicates = []
    rows = roles.order_by("pk").values_list("pk", "person_id", "kind", "centre_id", "axis_id")
    for pk, *key in rows.iterator():
        key = tuple(key)
        if key in seen:
            duplicates.append(pk)
        else:
            seen.add(key)
    # Chunks keep each query under SQLite's limit on parameters.
    for start in range(0, len(duplicates), 500):
        roles.filter(pk__in=duplicates[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0003_admin_groups"),
    ]

    operations = [
        migrations.RunPython(remove_duplicate_roles, migrations.RunPython.noop, elidable=True),
        migrations.RemoveConstraint(
            model_name="role",
            name="role_unique",
        ),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(
                models.F("person"),
                models.F("kind"),
                django.db.models.functions.comparison.Coalesce("centre", models.Value(0)),
                django.db.models.functions.comparison.Coalesce("axis", models.Value(0)),
                name="role_unique",
                violation_error_message="Cette personne a déjà ce rôle.",
            ),
        ),
    ]
