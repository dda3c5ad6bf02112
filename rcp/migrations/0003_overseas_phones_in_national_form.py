"""Overseas secretariat numbers in their French national form ("0262 90 50 50"),
as centres/migrations/0004 does for the centres' numbers."""

from django.db import migrations

from centres.validators import normalise_phone


def renormalise_phones(apps, schema_editor):
    Rcp = apps.get_model("rcp", "Rcp")
    changed = []
    for rcp in Rcp.objects.exclude(secretariat_phone="").only("pk", "secretariat_phone"):
        shown = normalise_phone(rcp.secretariat_phone)
        if shown != rcp.secretariat_phone:
            rcp.secretariat_phone = shown
            changed.append(rcp)
    Rcp.objects.bulk_update(changed, ["secretariat_phone"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("rcp", "0002_admin_groups"),
    ]

    operations = [
        migrations.RunPython(renormalise_phones, migrations.RunPython.noop, elidable=True),
    ]
