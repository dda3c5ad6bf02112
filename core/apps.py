from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app shares: cache, security helpers, text, dates, maps, forms.

    An app only so that Django finds its template tags, its command and its
    signal receivers; it holds no model and imports no app of the project.
    """

    default = True
    name = "core"
    verbose_name = _("Socle commun")

    def ready(self):
        from . import security

        # The login log: the one signal receiver of the project.
        security.connect_signals()


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a name that is not confused with the network's axes."""

    default = False
    verbose_name = _("Tentatives de connexion")
