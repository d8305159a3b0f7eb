"""Addresses for machines, outside the language prefixes: /healthz and /favicon.ico
answer the same at one address whatever the language."""

from django.urls import path

from peerladder.web import views

app_name = "machine"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
