from django.urls import path

from . import views

app_name = "centres"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("carte/", views.map_page, name="map"),
    path("<slug:slug>/", views.detail, name="detail"),
]
