"""E-mail each centre's editors what they have to check (for cron, once a day)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pantogether.reminders import send_review_reminders


def default_site_url() -> str:
    """SITE_URL if set, else the first named host of ALLOWED_HOSTS."""
    if getattr(settings, "SITE_URL", ""):
        return settings.SITE_URL.rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith((".", "*"))), "")
    scheme = "https" if getattr(settings, "HTTPS", False) else "http"
    return f"{scheme}://{host or 'localhost'}"


class Command(BaseCommand):
    help = (
        "Écrit aux éditeurs de chaque centre ce qui est à vérifier (rythme de mise à jour "
        "dépassé, RCP sans date, essais à revoir…) : un premier courriel, une relance après "
        "deux semaines, une seconde relance en copie au pilotage après quatre semaines. "
        "Relancée le même jour, elle n’envoie rien deux fois. À lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default=None,
            help="Adresse du site pour les liens (par défaut SITE_URL, ou le premier "
            "ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Dire ce qui serait envoyé, sans rien envoyer ni enregistrer.",
        )

    def handle(self, *args, site_url, dry_run, **options):
        outcomes = send_review_reminders(
            site_url=(site_url or default_site_url()).rstrip("/"), dry_run=dry_run
        )
        sent = 0
        for outcome in outcomes:
            if outcome.failed:
                self.stderr.write(f"{outcome.centre} : {outcome.note}")
            elif outcome.stage is None:
                self.stdout.write(f"{outcome.centre} : rien envoyé ({outcome.note}).")
            else:
                sent += 1
                verb = "serait envoyé" if dry_run else "envoyé"
                self.stdout.write(
                    f"{outcome.centre} : courriel {verb}, étape {outcome.stage} ({outcome.note})."
                )
        self.stdout.write(f"{sent} courriel(s) {'à envoyer' if dry_run else 'envoyé(s)'}.")
        failed = sum(outcome.failed for outcome in outcomes)
        if failed:
            # A non-zero exit status for cron; the next run sends what failed.
            raise CommandError(f"{failed} envoi(s) en échec, à réessayer au prochain passage.")
