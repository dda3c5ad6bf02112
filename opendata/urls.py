from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>.csv", views.dataset_csv, name="csv"),
    path("<slug:slug>.json", views.dataset_json, name="json"),
    path("<slug:slug>.schema.json", views.dataset_schema, name="schema"),
    path("selection/<slug:slug>.csv", views.listing_csv, name="listing_csv"),
]
