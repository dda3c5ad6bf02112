from django.urls import path, re_path

from . import views

app_name = "trials"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("glossaire/", views.glossary, name="glossary"),
    path("flux/", views.feed, name="feed"),
    path("imprimer/", views.print_view, name="print"),
    # At most 18 digits: a longer number overflows the database's integer.
    re_path(r"^(?P<pk>[0-9]{1,18})/$", views.detail, name="detail"),
]
