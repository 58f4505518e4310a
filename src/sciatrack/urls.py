from django.contrib import admin
from django.urls import include, path

from sciatrack import views
from sciatrack.api import api
from sciatrack.clinic.invitations import accept_invitation

urlpatterns = [
    path("", views.home, name="home"),
    path("exercises/", include("sciatrack.library.urls")),
    path("check/", include("sciatrack.care.urls")),
    path("", include("sciatrack.care.program_urls")),
    path("accounts/", include("sciatrack.accounts.urls")),
    path("clinic/registry/", include("sciatrack.registry.urls")),
    path("clinic/", include("sciatrack.clinic.urls")),
    path("invite/<str:key>/", accept_invitation, name="accept-invitation"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
