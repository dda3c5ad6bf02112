"""A French message for the unique registry key of a trial's site, which had
Django's generic one (« La contrainte … n’est pas respectée »).

The message lives only in the migration state: the database is not touched.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0003_last_imported_at_is_the_last_read"),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name="trialsite",
            name="trialsite_registry_key_unique",
            constraint=models.UniqueConstraint(
                condition=models.Q(("registry_key", ""), _negated=True),
                fields=("trial", "registry_key"),
                name="trialsite_registry_key_unique",
                violation_error_message="Ce lieu du registre figure déjà dans cet essai.",
            ),
        ),
    ]
