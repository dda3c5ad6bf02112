"""Small, explicit factories: `make_x(**overrides)` with sensible defaults."""

import itertools

from centres.models import Axis, Centre, CentreAxis, Department, Person, Role, Service

_seq = itertools.count(1)


def axes() -> dict[str, Axis]:
    """The axes from the data migration, by slug."""
    return {a.slug: a for a in Axis.objects.all()}


def department(code: str = "29") -> Department:
    return Department.objects.get(code=code)


def make_centre(*, axes=(), services=(), **overrides) -> Centre:
    n = next(_seq)
    fields = {
        "name": f"Centre hospitalier de test {n}",
        "slug": f"centre-test-{n}",
        "kind": Centre.Kind.EXPERT,
        "address": "2 avenue Foch",
        "postcode": "29200",
        "city": "Brest",
        "latitude": 48.39,
        "longitude": -4.49,
        "phone": "02 98 22 33 33",
        "last_reviewed": None,
    }
    fields.update(overrides)
    if "department" not in fields:
        fields["department"] = department(fields.pop("department_code", "29"))
    centre = Centre(**fields)
    centre.full_clean()
    centre.save()
    for axis in axes:
        CentreAxis.objects.create(centre=centre, axis=axis)
    if services:
        centre.services.set(services)
    return centre


def make_service(**overrides) -> Service:
    n = next(_seq)
    fields = {"slug": f"service-{n}", "name": f"Service {n}"}
    fields.update(overrides)
    return Service.objects.create(**fields)


def make_person(**overrides) -> Person:
    n = next(_seq)
    fields = {"title": "dr", "first_name": "Camille", "last_name": f"Martin{n}"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_role(person=None, **overrides) -> Role:
    fields = {"person": person or make_person(), "kind": Role.Kind.CENTRE_REFERENT}
    fields.update(overrides)
    return Role.objects.create(**fields)
