"""Querysets of the centres app, named by intent and shaped per page."""

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q

from core.text import normalise, query_words, sort_key

# Words too common to filter on ("CHU de Brest" -> "chu", "brest").
STOP_WORDS = frozenset("a au aux d de des du en et l la le les ou sur un une".split())


def _ids_matching(model, word: str, *fields: str, exact_codes: str | None = None) -> list:
    """Primary keys of the reference rows whose normalised fields contain `word`.

    Reference tables (axes, services, regions, departments) are small: they
    are normalised in Python so accents never matter, whatever the database.
    """
    ids = []
    for row in model.objects.values("pk", *fields, *([exact_codes] if exact_codes else [])):
        if exact_codes and row[exact_codes].lower() == word:
            ids.append(row["pk"])
        elif len(word) >= 3 and any(word in normalise(row[f]) for f in fields):
            ids.append(row["pk"])
    return ids


class CentreQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_axis(self, axis):
        return self.filter(pk__in=self._centre_ids_for_axes([axis.pk]))

    def _centre_ids_for_axes(self, axis_ids):
        CentreAxis = apps.get_model("centres", "CentreAxis")

        return CentreAxis.objects.filter(axis_id__in=axis_ids).values("centre_id")

    def with_service(self, service):
        return self.filter(services=service)

    def in_region(self, region):
        return self.filter(department__region=region)

    def search(self, text: str):
        """Every query word must match the centre's name, city, postcode or FINESS,
        one of its axes or services, or its department or region (accents and case
        ignored)."""
        Axis = apps.get_model("centres", "Axis")
        Department = apps.get_model("centres", "Department")
        Region = apps.get_model("centres", "Region")
        Service = apps.get_model("centres", "Service")

        words = [w for w in query_words(text) if w not in STOP_WORDS] or query_words(text)
        qs = self
        for word in words:
            condition = Q(search_text__contains=word)
            axis_ids = _ids_matching(Axis, word, "name", "short_name")
            if axis_ids:
                condition |= Q(pk__in=self._centre_ids_for_axes(axis_ids))
            service_ids = _ids_matching(Service, word, "name")
            if service_ids:
                condition |= Q(services__in=service_ids)
            dep_ids = _ids_matching(Department, word, "name", exact_codes="code")
            if dep_ids:
                condition |= Q(department__in=dep_ids)
            region_ids = _ids_matching(Region, word, "name")
            if region_ids:
                condition |= Q(department__region__in=region_ids)
            qs = qs.filter(condition)
        return qs.distinct() if len(words) else qs

    def ranked_by_name(self, text: str = "") -> list[tuple[int, None]]:
        """(pk, None) of every centre, in French alphabetical order of their
        names; with a search text, the centres whose name holds every word
        first (a match in the name above one in the city or a service).

        One query of two columns; sorted in Python, where accents and case
        compare as a French reader expects on every database.
        """
        words = [w for w in query_words(text) if w not in STOP_WORDS] if text else []
        rows = []
        for pk, name in self.order_by().values_list("pk", "name"):
            key = sort_key(name)
            in_name = bool(words) and all(w in key.split() or w in key for w in words)
            rows.append((not in_name, key, pk))
        rows.sort()
        return [(pk, None) for _miss, _key, pk in rows]

    def ranked_by_distance(self, latitude: float, longitude: float) -> list[tuple[int, float]]:
        """(pk, km) of every centre in the queryset, nearest first.

        One query fetching three columns; the distances are computed in Python
        (a thousand centres take about a millisecond).
        """
        from core.geo import distance_km

        ranked = [
            (pk, distance_km(latitude, longitude, lat, lon))
            for pk, lat, lon in self.order_by().values_list("pk", "latitude", "longitude")
        ]
        ranked.sort(key=lambda item: item[1])
        return ranked

    def for_listing(self):
        """What a centre card shows: department, region and axes, in 3 queries."""
        return self.select_related("department__region").prefetch_related("axes")

    def for_detail(self):
        """Everything the centre page shows, in a constant number of queries."""
        CentreAxis = apps.get_model("centres", "CentreAxis")
        Role = apps.get_model("centres", "Role")

        return self.select_related("department__region").prefetch_related(
            Prefetch("axis_links", queryset=CentreAxis.objects.select_related("axis")),
            "services",
            "axes",
            Prefetch(
                "roles",
                queryset=Role.objects.select_related("person", "axis").order_by(
                    "order", "kind", "person__last_name"
                ),
            ),
        )


class RoleQuerySet(models.QuerySet):
    def public(self):
        """Roles the public site shows: at a published centre, or without a centre
        (national or axis coordination held for the whole network). A role at an
        unpublished centre names neither the centre nor, through it, the person."""
        return self.filter(Q(centre__isnull=True) | Q(centre__is_published=True))


class PersonQuerySet(models.QuerySet):
    def coordinators_of_axes(self):
        return self.filter(roles__kind="axis").distinct()
