"""The site's URL map: pages, the JSON API under /api/, the admin; the error pages."""

from django.contrib import admin
from django.urls import include, path

from peerladder.api.main import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("peerladder.web.urls")),
]

# Error pages in the site's layout (web/error_pages.py).
handler400 = "peerladder.web.error_pages.bad_request"
handler403 = "peerladder.web.error_pages.permission_denied"
handler404 = "peerladder.web.error_pages.page_not_found"
handler500 = "peerladder.web.error_pages.server_error"
