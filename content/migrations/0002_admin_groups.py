"""Give the two admin groups their permissions on the network's content.

- « Pilotage du réseau »: every permission on news, documents and pages.
- « Coordination de centre »: view only (network content belongs to no centre).

The groups are created here if the centres migration has not run yet.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Pilotage du réseau"
CENTRE_GROUP = "Coordination de centre"
MODELS = ["newsitem", "document", "page"]


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run.
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(actions):
        codenames = [f"{action}_{model}" for model in MODELS for action in actions]
        found = list(
            Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(*permissions(["view", "add", "change", "delete"]))
    coordination, _ = Group.objects.get_or_create(name=CENTRE_GROUP)
    coordination.permissions.add(*permissions(["view"]))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[NETWORK_GROUP, CENTRE_GROUP]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="content"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
