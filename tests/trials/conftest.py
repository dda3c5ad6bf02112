"""The trials tests measure views, not the whole-page cache in front of them; the
centres the registry fixtures name (`network`)."""

import pytest

from tests.factories import make_centre


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def network(axes):
    """The centres the fixtures name (Brest, Lyon and Pitié are found by name and
    place), and a partner centre the registry names after its clinic (only an
    alias staff choose finds it)."""
    return {
        "brest": make_centre(
            name="CHU de Brest — Hôpital Morvan", short_name="CHU de Brest", slug="chu-brest"
        ),
        "lyon": make_centre(
            name="Hospices civils de Lyon — Hôpital Édouard-Herriot",
            short_name="HCL Édouard-Herriot",
            slug="hcl-edouard-herriot",
            address="5 place d’Arsonval",
            postcode="69003",
            city="Lyon",
            department_code="69",
            latitude=45.7452,
            longitude=4.8817,
        ),
        "pitie": make_centre(
            name="CHU Pitié-Salpêtrière, AP-HP",
            short_name="Pitié-Salpêtrière",
            slug="chu-pitie-salpetriere",
            address="47-83 boulevard de l’Hôpital",
            postcode="75013",
            city="Paris",
            department_code="75",
            latitude=48.8381,
            longitude=2.3635,
        ),
        "cedres": make_centre(
            name="Pôle de santé de Cornebarrieu",
            slug="pole-sante-cornebarrieu",
            kind="partner",
            address="1 avenue Jean-Dieudonné",
            postcode="31700",
            city="Cornebarrieu",
            department_code="31",
            latitude=43.6495,
            longitude=1.3241,
        ),
    }


@pytest.fixture
def centres(db):
    """Three centres of the finder's tests: Brest, Lyon, Saint-Étienne (about 50 km away)."""
    return {
        "brest": make_centre(name="CHU de Brest", slug="chu-brest"),
        "lyon": make_centre(
            name="Hôpital Édouard-Herriot",
            slug="heh-lyon",
            city="Lyon",
            postcode="69003",
            department_code="69",
            latitude=45.744,
            longitude=4.882,
        ),
        "saint_etienne": make_centre(
            name="CHU de Saint-Étienne",
            slug="chu-saint-etienne",
            city="Saint-Priest-en-Jarez",
            postcode="42270",
            department_code="42",
            latitude=45.47,
            longitude=4.37,
        ),
    }
