"""Page URLs: each area of the site keeps its own list."""

from django.urls import path

from peerladder.web import case_pages, ladder_pages, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    *ladder_pages.urlpatterns,
    *case_pages.urlpatterns,
]
