"""The two staff roles as groups with their model permissions (see editorial/permissions.py).

Region scoping for coordinators is not a permission: the admin applies it (editorial/scoping.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Redaktör"
COORDINATOR = "Regional samordnare"

ALL = ["add", "change", "delete", "view"]
EDITOR_PERMISSIONS = {
    # Editors onboard coordinators: the user admin limits what they may grant (regions/admin_users.py).
    "auth": {"user": ["add", "change", "view"]},
    "regions": {"region": ["change", "view"], "source": ALL, "seedrecord": ["view"]},
    "initiatives": {
        "focusarea": ALL,
        "activity": ALL,
        "link": ALL,
        "theme": ALL,
        "mandatoryarea": ["change", "view"],
    },
    "contacts": {"contact": ALL},
}
COORDINATOR_PERMISSIONS = {
    "regions": {"region": ["change", "view"], "source": ["view"]},
    "initiatives": {
        "focusarea": ALL,
        "activity": ALL,
        "link": ALL,
        "theme": ["view"],
        "mandatoryarea": ["view"],
    },
    "contacts": {"contact": ALL},
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in [(EDITOR, EDITOR_PERMISSIONS), (COORDINATOR, COORDINATOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, models in grants.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in codenames
        ]
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, COORDINATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("regions", "0003_region_coordinators"),
        ("initiatives", "0004_search_triggers"),
        ("contacts", "0002_search_vector"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
