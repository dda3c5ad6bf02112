import django.utils.timezone
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        # PostgreSQL only (no-ops elsewhere): accent-blind text and trigram similarity
        # for the site search (search/engine.py). Creating them needs the right to
        # CREATE EXTENSION (a superuser, or a trusted extension on PostgreSQL 13+).
        UnaccentExtension(),
        TrigramExtension(),
        migrations.CreateModel(
            name="MissedSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "words",
                    models.CharField(max_length=200, unique=True, verbose_name="mots cherchés"),
                ),
                (
                    "count",
                    models.PositiveIntegerField(default=0, verbose_name="nombre de recherches"),
                ),
                (
                    "first_seen",
                    models.DateField(
                        default=django.utils.timezone.localdate, verbose_name="première fois"
                    ),
                ),
                (
                    "last_seen",
                    models.DateField(
                        default=django.utils.timezone.localdate, verbose_name="dernière fois"
                    ),
                ),
            ],
            options={
                "verbose_name": "recherche sans résultat",
                "verbose_name_plural": "recherches sans résultat",
                "ordering": ["-count", "words"],
            },
        ),
    ]
