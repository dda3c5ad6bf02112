"""Give the two admin groups (see centres/admin_scoping.py) their trials permissions.

- « Pilotage du réseau »: every permission on every model of the trials app.
- « Coordination de centre »: view the trials (rows: those open at their
  centres), keep their centres' sites (rows limited by the admin).

Groups are created if missing and only added to, so the order of the apps'
migrations does not matter.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"

TRIALS_MODELS = ["trial", "trialsite", "unmatchedsite", "facilityalias"]
COORDINATOR_PERMISSIONS = {
    "trial": ["view"],
    "trialsite": ["view", "add", "change", "delete"],
}


def add_permissions(apps, schema_editor):
    # On a fresh database, permissions are created only after the whole run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(wanted):
        codenames = [f"{action}_{model}" for model, actions in wanted.items() for action in actions]
        found = list(
            Permission.objects.filter(content_type__app_label="trials", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(
        *permissions({model: ["view", "add", "change", "delete"] for model in TRIALS_MODELS})
    )
    coordination, _ = Group.objects.get_or_create(name=CENTRE_GROUP)
    coordination.permissions.add(*permissions(COORDINATOR_PERMISSIONS))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[NETWORK_GROUP, CENTRE_GROUP]):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="trials"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("trials", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
