"""Querysets of the rcp app, named by intent and shaped per page."""

from django.db import models
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from core.text import normalise, query_words, sort_key

# Scopes whose RCPs take files from anywhere: always listed, whatever the place.
NATIONAL_SCOPES = ("recourse", "molecular")
_STOP_WORDS = frozenset("a au aux d de des du en et l la le les ou sur un une rcp".split())


def _axis_ids_matching(word: str) -> list[int]:
    """Axes whose name contains the word, accents ignored (three rows: in Python)."""
    from centres.models import Axis

    if len(word) < 3:
        return []
    return [
        row["pk"]
        for row in Axis.objects.values("pk", "name", "short_name")
        if word in normalise(row["name"]) or word in normalise(row["short_name"])
    ]


def _per(history, key: str, function) -> Subquery:
    """An aggregate of the history rows of one RCP, as a correlated subquery."""
    return Subquery(history.values(key).annotate(value=function).values("value")[:1])


class RcpQuerySet(models.QuerySet):
    def published(self):
        """The RCPs the public site shows: published, and organised by a published
        centre (an RCP of an unpublished centre would name it, its phone and its
        page). Its unpublished participating centres are left out where it is
        shown: `for_detail()` and the API's and datasets' prefetch keep the
        published ones only; calendars and feeds name the organiser alone."""
        return self.filter(is_published=True, organiser__is_published=True)

    def for_axis(self, axis):
        return self.filter(
            pk__in=self.model.axes.through.objects.filter(axis=axis).values("rcp_id")
        )

    def organised_by(self, centre):
        return self.filter(organiser=centre)

    def involving(self, centre):
        """RCPs the centre organises or takes part in."""
        through = self.model.participants.through.objects.filter(centre=centre)
        return self.filter(Q(organiser=centre) | Q(pk__in=through.values("rcp_id")))

    def in_region(self, region):
        """RCPs organised in the region, or with a published participating centre there."""
        through = self.model.participants.through.objects.filter(
            centre__department__region=region, centre__is_published=True
        )
        return self.filter(
            Q(organiser__department__region=region) | Q(pk__in=through.values("rcp_id"))
        )

    def on_weekday(self, code: str):
        """RCPs whose rule names that weekday ("TU")."""
        return self.filter(weekdays__contains=code)

    def search(self, text: str):
        """Every query word must match the RCP's name, place or scope, its
        organising centre (name, city, postcode), or one of its axes."""
        words = [w for w in query_words(text) if w not in _STOP_WORDS] or query_words(text)
        qs = self
        for word in words:
            condition = Q(search_text__contains=word) | Q(organiser__search_text__contains=word)
            axis_ids = _axis_ids_matching(word)
            if axis_ids:
                condition |= Q(
                    pk__in=self.model.axes.through.objects.filter(axis_id__in=axis_ids).values(
                        "rcp_id"
                    )
                )
            qs = qs.filter(condition)
        return qs

    def national(self):
        """The RCPs open to the whole network, wherever the patient lives."""
        return self.filter(scope__in=NATIONAL_SCOPES)

    def ranked_by_name(self, text: str = "", region=None) -> list[tuple[int, None]]:
        """(pk, None) of every RCP in French alphabetical order; with a search
        text, those whose name holds every word first (« Réunion » finds the RCP
        of La Réunion before one meeting in a « salle de réunion »); with a
        region, those organised there before those it only takes part in.
        One query; sorted in Python, the same on every database."""
        words = [w for w in query_words(text) if w not in _STOP_WORDS] if text else []
        rows = []
        values = self.order_by().values_list("pk", "name", "organiser__department__region")
        for pk, name, region_id in values:
            key = sort_key(name)
            elsewhere = region is not None and region_id != region.pk
            in_name = not words or all(w in key for w in words)
            rows.append((not in_name, elsewhere, key, pk))
        rows.sort()
        return [(pk, None) for *_rank, pk in rows]

    def ranked_by_distance(self, latitude: float, longitude: float) -> list[tuple[int, float]]:
        """(pk, km from the point to the organising centre), nearest first.

        One query of three columns; distances computed in Python (a few
        hundred RCPs), ties broken by name for a stable order.
        """
        from core.geo import distance_km

        rows = self.values_list("pk", "name", "organiser__latitude", "organiser__longitude")
        ranked = [
            (distance_km(latitude, longitude, lat, lon), name, pk) for pk, name, lat, lon in rows
        ]
        ranked.sort()
        return [(pk, km) for km, _name, pk in ranked]

    def for_schedule(self):
        """What computing occurrences needs: the exceptions, in one more query."""
        return self.prefetch_related("exceptions")

    def for_listing(self):
        """What a directory card, a calendar line or a feed event shows: organiser,
        region, axes and exceptions, in 4 queries whatever the number of RCPs."""
        return self.select_related("organiser__department__region").prefetch_related(
            "axes", "exceptions"
        )

    def for_feed(self):
        """What a feed writes, in one query whatever the number of RCPs (the
        exceptions come apart: `exceptions_for`): the organiser's name and
        territory, and from the history
        (django-simple-history) of the RCP and of its exceptions, the number of
        recorded changes (`feed_sequence`, the events' SEQUENCE, which grows
        with each) and the last one (`exceptions_changed`)."""
        rcp_history = self.model.history.model.objects.filter(id=OuterRef("pk")).order_by()
        exception_model = self.model.exceptions.rel.related_model
        exception_history = exception_model.history.model.objects.filter(
            rcp_id=OuterRef("pk")
        ).order_by()

        return (
            self.select_related("organiser__department")
            .only(
                *(
                    f.name
                    for f in self.model._meta.concrete_fields
                    if f.name not in ("description", "submission", "search_text")
                ),
                "organiser__name",
                "organiser__short_name",
                "organiser__city",
                "organiser__department__code",
            )
            .annotate(
                feed_sequence=Coalesce(_per(rcp_history, "id", Count("*")), 0)
                + Coalesce(_per(exception_history, "rcp_id", Count("*")), 0),
                exceptions_changed=_per(exception_history, "rcp_id", Max("history_date")),
            )
        )

    def exceptions_for(self):
        """The exceptions of these RCPs, in one query: prefetching them costs a
        related manager per RCP (17 ms for 500)."""
        exception_model = self.model.exceptions.rel.related_model
        return exception_model.objects.filter(rcp__in=self.values("pk")).order_by()

    def for_detail(self):
        """Everything the RCP page shows, in a constant number of queries; its
        participating centres are the published ones only."""
        Centre = self.model.participants.rel.model
        RcpMember = self.model.members.rel.related_model

        return self.select_related(
            "organiser__department__region", "coordinator", "secretary"
        ).prefetch_related(
            "axes__case_guide",
            "exceptions",
            Prefetch(
                "members",
                queryset=RcpMember.objects.select_related("person"),
            ),
            Prefetch(
                "participants",
                queryset=Centre.objects.published().select_related("department").order_by("name"),
            ),
        )


class RcpActivityQuerySet(models.QuerySet):
    def of_published_rcps(self):
        """Activity of the RCPs the public site shows (see RcpQuerySet.published)."""
        return self.filter(rcp__is_published=True, rcp__organiser__is_published=True)
