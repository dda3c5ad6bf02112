"""The second factor's pages, under /admin/compte/ (routed in pantogether/urls.py)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("double-authentification/", views.otp_setup, name="otp_setup"),
    path("verification/", views.otp_verify, name="otp_verify"),
]
