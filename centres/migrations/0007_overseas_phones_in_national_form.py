"""Overseas phone numbers stored in their French national form.

The portal wrote "+262 2 62 90 50 50" for a number typed with its code and
"02 62 90 50 50" for one typed nationally; both are now "0262 90 50 50", as
normalise_phone (phonenumbers) writes them. Mainland numbers keep their form;
what normalise_phone does not read as a French number is left as it is. The
history tables keep what was stored then.
"""

from django.db import migrations

from centres.validators import normalise_phone

PHONE_FIELDS = {"Centre": "phone", "CentreAxis": "phone", "Person": "phone"}


def renormalise_phones(apps, schema_editor):
    for model_name, field in PHONE_FIELDS.items():
        model = apps.get_model("centres", model_name)
        changed = []
        for row in model.objects.exclude(**{field: ""}).only("pk", field):
            shown = normalise_phone(getattr(row, field))
            if shown != getattr(row, field):
                setattr(row, field, shown)
                changed.append(row)
        model.objects.bulk_update(changed, [field], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0006_network_facts"),
    ]

    operations = [
        migrations.RunPython(renormalise_phones, migrations.RunPython.noop, elidable=True),
    ]
