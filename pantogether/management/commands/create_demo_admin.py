"""Create the demonstration superuser, with a random password shown only once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin-demo"


class Command(BaseCommand):
    help = (
        "Crée le compte d’administration de démonstration «\u00a0admin-demo\u00a0» avec un mot de "
        "passe aléatoire, affiché une seule fois. Ne modifie pas un compte existant."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(**{User.USERNAME_FIELD: USERNAME}).exists():
            self.stdout.write(
                f"Le compte d’administration de démonstration «\u00a0{USERNAME}\u00a0» "
                f"existe déjà\u202f; son mot de passe n’a pas été changé. "
                f"Pour en choisir un nouveau\u00a0: "
                f"python manage.py changepassword {USERNAME}"
            )
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser(
            **{User.USERNAME_FIELD: USERNAME},
            email=f"{USERNAME}@example.org",
            password=password,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Compte d’administration de démonstration\u00a0: identifiant {USERNAME}, "
                f"mot de passe {password}  (affiché une seule fois, notez-le)"
            )
        )
