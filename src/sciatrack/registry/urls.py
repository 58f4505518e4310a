from django.urls import path

from . import views

urlpatterns = [
    path("", views.registry_page, name="registry"),
    path("compare/", views.compare_page, name="registry-compare"),
    path("export.csv", views.export_csv, name="registry-export-csv"),
    path("export.json", views.export_json, name="registry-export-json"),
]
