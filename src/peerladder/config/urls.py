"""The site's URL map: pages, the JSON API under /api/, the admin."""

from django.contrib import admin
from django.urls import include, path

from peerladder.api.main import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("peerladder.web.urls")),
]
