"""The two admin groups and their model permissions (see centres/admin_scoping.py).

- « Pilotage du réseau »: every permission on every model of the centres app.
- « Coordination de centre »: view and change their centres (rows limited to
  Centre.editors by the admin), add, change and delete their centres' axes
  and roles, add and change people, view the reference data.

Membership is given by a superuser (the groups do not grant access to user
accounts: whoever can change users can make themselves superuser). The other
apps add their own models' permissions to these groups in their own
migrations (adding, never replacing, so the order of the apps' migrations
does not matter).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"

CENTRE_MODELS = [
    "axis",
    "region",
    "department",
    "service",
    "centre",
    "centreaxis",
    "person",
    "role",
]
COORDINATOR_PERMISSIONS = {
    "centre": ["view", "change"],
    "centreaxis": ["view", "add", "change", "delete"],
    "role": ["view", "add", "change", "delete"],
    "person": ["view", "add", "change"],
    "axis": ["view"],
    "service": ["view"],
    "region": ["view"],
    "department": ["view"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run
    # (post_migrate); on a fresh database they do not exist yet here.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(wanted):
        codenames = [f"{action}_{model}" for model, actions in wanted.items() for action in actions]
        found = list(
            Permission.objects.filter(content_type__app_label="centres", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(
        *permissions({model: ["view", "add", "change", "delete"] for model in CENTRE_MODELS})
    )
    coordination, _ = Group.objects.get_or_create(name=CENTRE_GROUP)
    coordination.permissions.add(*permissions(COORDINATOR_PERMISSIONS))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[NETWORK_GROUP, CENTRE_GROUP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("centres", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
