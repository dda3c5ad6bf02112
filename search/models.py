"""Searches that found nothing: the words only, counted, never who searched."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MissedSearch(models.Model):
    """Normalised words of a search that found nothing, and how often it was made."""

    words = models.CharField(_("mots cherchés"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("nombre de recherches"), default=0)
    first_seen = models.DateField(_("première fois"), default=timezone.localdate)
    last_seen = models.DateField(_("dernière fois"), default=timezone.localdate)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        ordering = ["-count", "words"]

    def __str__(self):
        return self.words

    @classmethod
    def record(cls, words: str) -> None:
        """Count one more search for these words (one or two queries, no read-modify-write)."""
        today = timezone.localdate()
        updated = cls.objects.filter(words=words).update(count=F("count") + 1, last_seen=today)
        if not updated:
            obj, created = cls.objects.get_or_create(words=words, defaults={"count": 1})
            if not created:  # another request created it meanwhile
                cls.objects.filter(pk=obj.pk).update(count=F("count") + 1, last_seen=today)
