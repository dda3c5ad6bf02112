"""« Pilotage du réseau » sees (and may clear) the searches that found nothing;
centre coordinators do not (they are about the whole site)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NETWORK_GROUP = "Pilotage du réseau"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("search")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = ["view_missedsearch", "delete_missedsearch"]
    found = list(
        Permission.objects.filter(content_type__app_label="search", codename__in=codenames)
    )
    if len(found) != len(codenames):
        raise RuntimeError("Permissions missing for search.MissedSearch")
    network, _ = Group.objects.get_or_create(name=NETWORK_GROUP)
    network.permissions.add(*found)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=NETWORK_GROUP):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="search"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
