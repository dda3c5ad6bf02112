"""Seed the glossary with the common terms of the network's cancers and their
treatments (trials/data/glossary.csv); give « Pilotage du réseau » its
permissions. Only adds what is missing: staff's edits survive."""

import csv
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

from core.text import normalise

GLOSSARY_CSV = Path(__file__).resolve().parent.parent / "data" / "glossary.csv"
NETWORK_GROUP = "Pilotage du réseau"


def seed(apps, schema_editor):
    GlossaryTerm = apps.get_model("trials", "GlossaryTerm")
    with GLOSSARY_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(GlossaryTerm.objects.values_list("key", flat=True))
    for row in rows:
        key = normalise(row["english"])
        if key not in existing:
            GlossaryTerm.objects.create(
                english=row["english"], french=row["french"], kind=row["kind"], key=key
            )
            existing.add(key)

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="trials",
            codename__in=[f"{a}_glossaryterm" for a in ("view", "add", "change", "delete")],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("trials", "0008_enrollment_type_and_glossary"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
