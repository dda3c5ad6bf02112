"""Give the two admin groups their permissions on RCP models.

- « Pilotage du réseau »: every permission on every model of the rcp app.
- « Coordination de centre »: add and change the RCPs of their centres (rows
  limited to the organising centre by the admin, see centres/admin_scoping.py),
  their exceptions and their activity (including the CSV import).

The groups are created here if the centres migration has not run yet: both
only add permissions, so their order does not matter.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"
RCP_MODELS = ["rcp", "rcpexception", "rcpactivity"]
COORDINATOR_PERMISSIONS = {
    "rcp": ["view", "add", "change"],
    "rcpexception": ["view", "add", "change", "delete"],
    "rcpactivity": ["view", "add", "change", "delete"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run.
    app_config = apps.get_app_config("rcp")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(wanted):
        codenames = [f"{action}_{model}" for model, actions in wanted.items() for action in actions]
        found = list(
            Permission.objects.filter(content_type__app_label="rcp", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(
        *permissions({model: ["view", "add", "change", "delete"] for model in RCP_MODELS})
    )
    coordination, _ = Group.objects.get_or_create(name=CENTRE_GROUP)
    coordination.permissions.add(*permissions(COORDINATOR_PERMISSIONS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[NETWORK_GROUP, CENTRE_GROUP]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="rcp"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("rcp", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
