"""French messages for the two unique constraints that had Django's generic one
(« La contrainte … n’est pas respectée », « Un objet … existe déjà »).

The messages live only in the migration state: the database is not touched.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0004_role_unique_with_nulls"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="centre",
            name="centre_finess_unique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("finess", ""), _negated=True),
                fields=("finess",),
                name="centre_finess_unique",
                violation_error_message="Un centre porte déjà ce numéro FINESS.",
            ),
        ),
        migrations.AlterConstraint(
            model_name="centreaxis",
            name="centre_axis_unique",
            constraint=models.UniqueConstraint(
                fields=("centre", "axis"),
                name="centre_axis_unique",
                violation_error_message="Ce centre a déjà cet axe.",
            ),
        ),
    ]
