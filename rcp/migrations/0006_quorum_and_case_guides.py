"""The national quorum rule and each axis's minimum data set, as editable rows.

- The quorum rule: at least three different specialties, the surgeon, the
  medical oncologist and the radiotherapist among them (the national rule).
- The minimum data set of an RCP file per axis (rcp/data/case_guides.json):
  what every secretariat asks for, then the axis's own items.

Rows that exist are never overwritten: staff keep them in the admin. The
admin groups get their permissions: the pilot centre keeps the rule and the
data sets; coordinators view them and keep the members of their RCPs.
"""

import json
from pathlib import Path

from django.contrib.auth.management import create_permissions
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "case_guides.json"
NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"
NEW_MODELS = ["rcpmember", "quorumrule", "axiscaseguide"]
COORDINATOR_PERMISSIONS = {
    "rcpmember": ["view", "add", "change", "delete"],
    "quorumrule": ["view"],
    "axiscaseguide": ["view"],
}


def load(apps, schema_editor):
    QuorumRule = apps.get_model("rcp", "QuorumRule")
    Axis = apps.get_model("centres", "Axis")
    AxisCaseGuide = apps.get_model("rcp", "AxisCaseGuide")
    QuorumRule.objects.get_or_create(
        pk=1,
        defaults={"min_specialties": 3, "required_specialties": "surgery,oncology,radiotherapy"},
    )
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for axis in Axis.objects.filter(slug__in=list(data["axes"])):
        items = data["common"] + data["axes"][axis.slug]
        AxisCaseGuide.objects.get_or_create(axis=axis, defaults={"minimum_data": "\n".join(items)})


def grant(apps, schema_editor):
    app_config = apps.get_app_config("rcp")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(wanted):
        codenames = [f"{action}_{model}" for model, actions in wanted.items() for action in actions]
        return Permission.objects.filter(content_type__app_label="rcp", codename__in=codenames)

    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(
        *permissions({model: ["view", "add", "change", "delete"] for model in NEW_MODELS})
    )
    coordination, _ = Group.objects.get_or_create(name=CENTRE_GROUP)
    coordination.permissions.add(*permissions(COORDINATOR_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("centres", "0007_overseas_phones_in_national_form"),
        ("rcp", "0005_members_quorum_guides"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
