"""Reference data every environment needs: regions, departments (official INSEE
codes, overseas included), the three axes and the vocabulary of services."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data"

AXES = [
    # slug, name, short name, colour, order, description
    (
        "pancreas",
        "Pancréas",
        "Pancréas",
        "#6b3fa0",
        1,
        "Adénocarcinome du pancréas et tumeurs pancréatiques, du diagnostic aux soins de support.",
    ),
    (
        "oesophage",
        "Œsophage et jonction œso-gastrique",
        "Œsophage",
        "#b34700",
        2,
        "Cancers de l’œsophage et de la jonction œso-gastrique.",
    ),
    (
        "foie-voies-biliaires",
        "Foie et voies biliaires",
        "Foie",
        "#2b7a3b",
        3,
        "Carcinome hépatocellulaire, cholangiocarcinomes et cancers de la vésicule biliaire.",
    ),
]

SERVICES = [
    ("echo-endoscopie", "Écho-endoscopie"),
    ("cpre", "Cholangio-pancréatographie rétrograde (CPRE)"),
    ("radiologie-interventionnelle", "Radiologie interventionnelle"),
    ("chirurgie-hpb", "Chirurgie hépato-bilio-pancréatique"),
    ("chirurgie-oeso-gastrique", "Chirurgie œso-gastrique"),
    ("transplantation-hepatique", "Transplantation hépatique"),
    ("radiotherapie-stereotaxique", "Radiothérapie stéréotaxique"),
    ("oncogenetique", "Oncogénétique"),
    ("biologie-moleculaire", "Biologie moléculaire"),
    ("soins-de-support", "Soins de support"),
    ("oncogeriatrie", "Oncogériatrie"),
    ("recherche-clinique", "Unité de recherche clinique"),
]


def load(apps, schema_editor):
    Region = apps.get_model("centres", "Region")
    Department = apps.get_model("centres", "Department")
    Axis = apps.get_model("centres", "Axis")
    Service = apps.get_model("centres", "Service")
    regions = {}
    with (DATA / "regions.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            regions[row["code"]], _ = Region.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "is_overseas": row["overseas"] == "1",
                },
            )
    with (DATA / "departments.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Department.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(f"{row['code']}-{row['name']}"),
                    "region": regions[row["region"]],
                },
            )
    for slug, name, short, colour, order, description in AXES:
        Axis.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "colour": colour,
                "order": order,
                "description": description,
            },
        )
    for order, (slug, name) in enumerate(SERVICES, start=1):
        Service.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    for model in ("Service", "Axis", "Department", "Region"):
        apps.get_model("centres", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
