"""The API's views: lists with the public pages' filters, and one object each."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from centres.models import Axis, Centre, Department, Person, Region
from rcp.models import Rcp
from trials.models import Trial

from .. import selection
from ..people import public_people, public_roles
from . import querysets, serializers
from .forms import (
    CentreListForm,
    PersonListForm,
    RcpListForm,
    ReferenceListForm,
    TrialListForm,
)
from .http import ReadOnlyApiView
from .payloads import Payloads
from .schema import ERROR, NOT_MODIFIED, page_of, parameters

BAD_QUERY = "Paramètres refusés."


def invalid(form) -> Response:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return Response({"detail": BAD_QUERY, "errors": errors}, status=400)


class ListView(ReadOnlyApiView):
    """A paged list: validate the query string with `form_class`, select, shape, serialise."""

    form_class = ReferenceListForm
    serializer_class = None
    payload: str | None = None  # the Payloads method writing serializer_class's dicts
    context_extra: dict = {}

    def select(self, form) -> selection.Selection:
        raise NotImplementedError

    def shape(self, queryset):
        return queryset

    def get(self, request):
        form = self.form_class(request.query_params)
        if not form.is_valid():
            return invalid(form)
        page, size = form.paging()
        found = self.select(form)
        count = found.count()
        rows = found.window((page - 1) * size, size, self.shape)
        objects = []
        for obj, km in rows:
            obj.distance_km = None if km is None else round(km, 1)
            objects.append(obj)
        data = write(request, self, objects, many=True)
        response = Response(
            {
                "count": count,
                "page": page,
                "page_size": size,
                "next": self._link(request, page + 1) if page * size < count else None,
                "previous": self._link(request, page - 1) if page > 1 and count else None,
                "results": data,
            }
        )
        dates = [obj.updated_at for obj in objects if getattr(obj, "updated_at", None)]
        response.last_modified = max(dates) if dates else None
        return response

    @staticmethod
    def _link(request, page: int) -> str:
        query = request.query_params.copy()
        query["page"] = str(page)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class DetailView(ReadOnlyApiView):
    serializer_class = None
    payload: str | None = None
    context_extra: dict = {}

    def respond(self, obj) -> Response:
        obj.distance_km = None
        response = Response(write(self.request, self, obj))
        response.last_modified = getattr(obj, "updated_at", None)
        return response


def write(request, view, data, *, many=False):
    """The view's objects as its serializer writes them: through `Payloads`
    when the view names one of its methods, else through the serializer."""
    now = timezone.now()
    if view.payload is None:
        context = {"request": request, "now": now, **view.context_extra}
        return view.serializer_class(data, many=many, context=context).data
    payloads = Payloads(request, now=now, **view.context_extra)
    write_all = getattr(payloads, view.payload)  # a page at a time
    return write_all(data) if many else write_all([data])[0]


def _list_schema(serializer_class, form_class, summary, description=""):
    name = serializer_class.__name__.removesuffix("Serializer").lower()
    return extend_schema(
        operation_id=f"{name}_list",
        summary=summary,
        description=description,
        parameters=parameters(form_class),
        responses={200: page_of(serializer_class), 304: NOT_MODIFIED, 400: ERROR},
    )


def _detail_schema(serializer_class, summary, description=""):
    name = serializer_class.__name__.removesuffix("Serializer").lower()
    return extend_schema(
        operation_id=f"{name}_detail",
        summary=summary,
        description=description,
        responses={200: serializer_class, 304: NOT_MODIFIED, 404: ERROR},
    )


# --- Reference data ------------------------------------------------------------------


class AxisList(ListView):
    serializer_class = serializers.AxisSerializer

    @_list_schema(serializers.AxisSerializer, ReferenceListForm, "Les trois axes du réseau")
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.Selection(Axis.objects.order_by("order", "name", "pk"))

    def shape(self, queryset):
        return queryset.select_related("referent_centre")


class RegionList(ListView):
    serializer_class = serializers.RegionSerializer

    @_list_schema(serializers.RegionSerializer, ReferenceListForm, "Régions (codes INSEE)")
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.Selection(Region.objects.order_by("name", "pk"))


class DepartmentList(ListView):
    serializer_class = serializers.DepartmentSerializer

    @_list_schema(serializers.DepartmentSerializer, ReferenceListForm, "Départements")
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.Selection(Department.objects.order_by("code", "pk"))

    def shape(self, queryset):
        return queryset.select_related("region")


# --- Centres ------------------------------------------------------------------------


class CentreList(ListView):
    form_class = CentreListForm
    serializer_class = serializers.CentreSerializer
    payload = "centres"

    @_list_schema(
        serializers.CentreSerializer,
        CentreListForm,
        "Centres publiés",
        "Les filtres de la page /centres/. Ordre : nom ; avec `pres_de` (ou `lat` et `lon`), "
        "du plus proche au plus lointain.",
    )
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.centres(form, since=form.cleaned_data.get("updated_since"))

    def shape(self, queryset):
        return querysets.centre_rows(queryset) if self.payload else querysets.centres(queryset)


class CentreDetail(DetailView):
    serializer_class = serializers.CentreSerializer
    payload = "centres"

    @_detail_schema(serializers.CentreSerializer, "Un centre publié")
    def get(self, request, slug):
        shape = querysets.centre_rows if self.payload else querysets.centres
        return self.respond(get_object_or_404(shape(Centre.objects.published()), slug=slug))


# --- People -----------------------------------------------------------------------------


class PersonList(ListView):
    form_class = PersonListForm
    serializer_class = serializers.PersonSerializer

    @_list_schema(
        serializers.PersonSerializer,
        PersonListForm,
        "Personnes nommées sur le site, avec leurs rôles publics",
        "Ordre : nom, prénom. `updated_since` porte sur la fiche de la personne.",
    )
    def get(self, request):
        return super().get(request)

    def select(self, form):
        data = form.cleaned_data
        people = public_people()
        roles = public_roles()
        if data.get("centre"):
            roles = roles.filter(centre=data["centre"])
        if data.get("axe"):
            roles = roles.filter(axis=data["axe"])
        if data.get("role"):
            roles = roles.filter(kind=data["role"])
        if any(data.get(name) for name in ("centre", "axe", "role")):
            people = people.filter(pk__in=roles.values("person_id"))
        if data.get("updated_since"):
            changed = Person.history.model.objects.filter(history_date__gte=data["updated_since"])
            people = people.filter(pk__in=changed.values("id"))
        return selection.Selection(people.order_by("last_name", "first_name", "pk"))

    def shape(self, queryset):
        return querysets.people(queryset)


# --- RCP ------------------------------------------------------------------------------------


class RcpList(ListView):
    form_class = RcpListForm
    serializer_class = serializers.RcpSerializer
    payload = "rcps"

    @_list_schema(
        serializers.RcpSerializer,
        RcpListForm,
        "RCP publiées, avec leur règle (RRULE), leurs prochaines séances et dates limites",
        "Les filtres de la page /rcp/. Ordre : nom ; avec `pres_de`, distance du centre "
        "organisateur. `upcoming` donne les 3 prochaines séances (10 sur la fiche).",
    )
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.rcps(form, since=form.cleaned_data.get("updated_since"))

    def shape(self, queryset):
        return querysets.rcp_rows(queryset) if self.payload else querysets.rcps(queryset)


class RcpDetail(DetailView):
    serializer_class = serializers.RcpSerializer
    payload = "rcps"
    context_extra = {"upcoming": serializers.UPCOMING_IN_DETAIL}

    @_detail_schema(serializers.RcpSerializer, "Une RCP publiée")
    def get(self, request, slug):
        shape = querysets.rcp_rows if self.payload else querysets.rcps
        return self.respond(get_object_or_404(shape(Rcp.objects.published()), slug=slug))


# --- Trials ------------------------------------------------------------------------------------


class TrialList(ListView):
    form_class = TrialListForm
    serializer_class = serializers.TrialSerializer
    payload = "trials"

    @_list_schema(
        serializers.TrialSerializer,
        TrialListForm,
        "Essais cliniques publiés, avec leurs lieux",
        "Les filtres de la page /essais/ ; `statut` vaut `tous` par défaut. `recrute` et "
        "`bientot` ne retiennent que les essais dont le statut a été vérifié auprès du "
        "registre depuis moins de 45 jours.",
    )
    def get(self, request):
        return super().get(request)

    def select(self, form):
        return selection.trials(form, since=form.cleaned_data.get("updated_since"))

    def shape(self, queryset):
        return queryset if self.payload else querysets.trials(queryset)


class TrialDetail(DetailView):
    serializer_class = serializers.TrialSerializer
    payload = "trials"

    @_detail_schema(serializers.TrialSerializer, "Un essai publié")
    def get(self, request, pk):
        trials = Trial.objects.published()
        if not self.payload:
            trials = querysets.trials(trials)
        return self.respond(get_object_or_404(trials, pk=pk))


class NotFound(ReadOnlyApiView):
    """Any other path under /api/: a JSON 404, as the API's own objects answer."""

    @extend_schema(exclude=True)
    def get(self, request, path=""):
        return Response({"detail": "Cette adresse n’existe pas dans l’API."}, status=404)


class Index(ReadOnlyApiView):
    """What the API holds, with links."""

    @extend_schema(
        operation_id="index",
        tags=["index"],
        summary="Index de l’API",
        responses={
            200: {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "uri"},
            },
            304: NOT_MODIFIED,
        },
    )
    def get(self, request):
        names = {
            "axes": "api:axes",
            "regions": "api:regions",
            "departements": "api:departments",
            "centres": "api:centres",
            "personnes": "api:people",
            "rcp": "api:rcps",
            "essais": "api:trials",
            "schema": "api:schema",
            "documentation": "api:docs",
        }
        return Response({key: request.build_absolute_uri(reverse(n)) for key, n in names.items()})
