from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PantogetherConfig(AppConfig):
    default = True
    name = "pantogether"
    verbose_name = _("Portail")

    def ready(self):
        from . import pagecache, security

        # The login log, and the page cache's invalidation on content changes
        # (the project's only signal receivers; see pagecache.py for why).
        security.connect_signals()
        pagecache.connect_signals()


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name that is not confused with the network's axes."""

    default = False
    verbose_name = _("Tentatives de connexion")
