"""Values every template of the site shell needs."""

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "PAN-TOGETHER",
        "MAP_TILES_ENABLED": bool(settings.MAP_TILE_URL),
    }
