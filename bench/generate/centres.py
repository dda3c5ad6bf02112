"""Bench centres: a thousand centres and ten thousand people, fast.

`build()` is called by the project's `bench_data` command (before the RCP
and trial bench data, which spread over these centres and people). Rows are
written with bulk_create (no history). Everything is fictional and marked demonstration: centre
slugs start with ``banc-``, people's e-mails end with ``@banc.example.org``,
phone numbers come from the ranges ARCEP keeps for fiction. The centres
stand on real communes drawn from the postcode file, all over France and
overseas, so that nearest-centre searches and region filters have work to
do. A second run adds what is missing and changes nothing else.
"""

import csv
import random

from django.db import transaction
from django.utils.text import slugify

from centres.models import Axis, Centre, CentreAxis, Department, Person, Role, Service
from core import geo
from core.text import normalise
from demo.fiction import FICTION_PHONE_PREFIXES, phone_zone

SLUG_PREFIX = "banc-"
EMAIL_DOMAIN = "banc.example.org"
BATCH = 2000
SEED = 20261123

KINDS = [Centre.Kind.EXPERT] * 6 + [Centre.Kind.PARTNER] * 3 + [Centre.Kind.REFERENT]
NAME_PATTERNS = (
    "Centre hospitalier de banc {n} — {city}",
    "Hôpital privé de banc {n} — {city}",
    "Institut de cancérologie de banc {n} — {city}",
    "CHU de banc {n} — {city}",
)
FIRST_NAMES = (
    "Camille Claire Julie Sophie Anne Marie Léa Chloé Inès Sarah Emma Alice Louise "
    "Thomas Nicolas Julien Pierre Antoine Lucas Hugo Louis Paul Arthur Mathieu Karim Yanis"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin "
    "Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Nguyen Benali Haddad Le Gall Le Goff Kerbrat"
).split()
SPECIALTIES = (
    "Oncologie médicale",
    "Gastro-entérologie",
    "Hépatologie",
    "Chirurgie digestive",
    "Radiothérapie",
    "Radiologie interventionnelle",
    "Anatomopathologie",
    "Soins de support",
)
CENTRE_ROLES = (
    Role.Kind.CENTRE_REFERENT,
    Role.Kind.RCP_COORDINATOR,
    Role.Kind.SECRETARY,
    Role.Kind.RESEARCH_CONTACT,
    Role.Kind.NURSE_COORDINATOR,
)


def _phone(prefix: str, n: int) -> str:
    return f"{prefix} {n // 100 % 100:02d} {n % 100:02d}"


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _build_centres(count: int, rng: random.Random) -> list[Centre]:
    existing = set(
        Centre.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    departments = {d.code: d for d in Department.objects.select_related("region")}
    with geo.POSTCODES_CSV.open(encoding="utf-8", newline="") as fh:
        places = [row for row in csv.DictReader(fh) if row["department"] in departments]
    new = []
    for n in range(count):
        slug = f"{SLUG_PREFIX}{n}"
        if slug in existing:
            continue
        place = rng.choice(places)
        city = place["commune"]
        department = departments[place["department"]]
        name = rng.choice(NAME_PATTERNS).format(n=n, city=city)
        short_name = f"Banc {n} {city}"[:80]
        prefix = FICTION_PHONE_PREFIXES[phone_zone(department)]
        centre = Centre(
            name=name,
            short_name=short_name,
            slug=slug,
            kind=rng.choice(KINDS),
            address=f"{rng.randint(1, 250)} rue de l’Hôpital",
            postcode=place["postcode"],
            city=city,
            department=department,
            # A few hundred metres from the town hall, as hospitals are.
            latitude=round(float(place["latitude"]) + rng.uniform(-0.01, 0.01), 5),
            longitude=round(float(place["longitude"]) + rng.uniform(-0.01, 0.01), 5),
            phone=_phone(prefix, n),
            email=f"accueil-{n}@{EMAIL_DOMAIN}",
            description=(
                f"Centre fictif n°\u00a0{n}, créé pour mesurer les performances du portail. "
                "Ses coordonnées ne correspondent à aucun établissement réel."
            ),
            is_published=n % 20 != 19,  # 5 % unpublished: filters must leave them out
            is_demo=True,
        )
        centre.search_text = normalise(
            " ".join([centre.name, centre.short_name, centre.city, centre.postcode, ""])
        )
        new.append(centre)
    return _bulk(Centre, new)


def _link_centres(centres: list[Centre], rng: random.Random) -> None:
    axes = list(Axis.objects.order_by("order"))
    services = list(Service.objects.values_list("pk", flat=True))
    links, offered = [], []
    through = Centre.services.through
    for centre in centres:
        for axis in rng.sample(axes, rng.randint(1, len(axes))):
            links.append(CentreAxis(centre=centre, axis=axis))
        for service_id in rng.sample(services, min(len(services), rng.randint(0, 4))):
            offered.append(through(centre_id=centre.pk, service_id=service_id))
    _bulk(CentreAxis, links)
    _bulk(through, offered)


def _build_people(count: int, rng: random.Random) -> list[Person]:
    existing = Person.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count()
    new = []
    for n in range(existing, count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        new.append(
            Person(
                title=rng.choice(["pr", "dr", "dr", "dr", "m", "mme"]),
                first_name=first,
                last_name=last,
                specialty=rng.choice(SPECIALTIES),
                email=f"{slugify(first)}.{slugify(last)}.{n}@{EMAIL_DOMAIN}",
                is_demo=True,
            )
        )
    return _bulk(Person, new)


def _give_roles(people: list[Person], rng: random.Random) -> int:
    centre_ids = list(
        Centre.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
    )
    axis_ids = list(Axis.objects.values_list("pk", flat=True))
    roles = []
    for order, person in enumerate(people):
        kind = rng.choice(CENTRE_ROLES)
        roles.append(
            Role(
                person=person,
                kind=kind,
                centre_id=rng.choice(centre_ids),
                axis_id=rng.choice(axis_ids) if kind == Role.Kind.CENTRE_REFERENT else None,
                order=order % 10,
            )
        )
    return len(_bulk(Role, roles))


@transaction.atomic
def build(*, stdout, centres: int = 1000, people: int = 10000) -> None:
    """Top up the bench centres to `centres` and the bench people to `people`."""
    rng = random.Random(SEED)
    new_centres = _build_centres(centres, rng)
    _link_centres(new_centres, rng)
    new_people = _build_people(people, rng)
    roles = _give_roles(new_people, rng) if new_people else 0
    stdout.write(
        f"Centres (banc)\u00a0: {len(new_centres)} centres créés, {len(new_people)} personnes, "
        f"{roles} rôles."
    )
