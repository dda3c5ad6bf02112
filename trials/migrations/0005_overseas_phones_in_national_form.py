"""Overseas contact numbers from the registry in their French national form
("0262 90 50 50"), as centres/migrations/0004 does for the centres' numbers.

The import writes a number and its extension as "… poste 12": the number is
rewritten, the extension kept; a foreign or unreadable number stays as it is.
"""

from django.db import migrations

from centres.validators import normalise_phone


def _shown(value: str) -> str:
    number, sep, ext = value.partition(" poste ")
    return normalise_phone(number) + sep + ext


def renormalise_phones(apps, schema_editor):
    for model_name in ("Trial", "TrialSite"):
        model = apps.get_model("trials", model_name)
        changed = []
        for row in model.objects.exclude(contact_phone="").only("pk", "contact_phone"):
            shown = _shown(row.contact_phone)
            if shown != row.contact_phone:
                row.contact_phone = shown
                changed.append(row)
        model.objects.bulk_update(changed, ["contact_phone"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0004_trialsite_registry_key_message"),
    ]

    operations = [
        migrations.RunPython(renormalise_phones, migrations.RunPython.noop, elidable=True),
    ]
