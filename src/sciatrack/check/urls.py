from django.urls import path

from . import views

urlpatterns = [
    path("", views.intro, name="check-intro"),
    path("start-again/", views.restart, name="check-restart"),
    path("act-now/", views.act_now, name="check-act-now"),
    path("result/", views.result, name="check-result"),
    path("history/", views.history, name="check-history"),
    path("history/<uuid:intake_uuid>/", views.history_detail, name="check-history-detail"),
    path("step/<slug:slug>/", views.step_view, name="check-step"),
]
