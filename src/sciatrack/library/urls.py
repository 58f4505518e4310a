from django.urls import path

from . import views

urlpatterns = [
    path("", views.exercise_list, name="exercise-list"),
    path("<slug:exercise_id>/", views.exercise_detail, name="exercise-detail"),
    path("<slug:exercise_id>/figure.svg", views.exercise_figure, name="exercise-figure"),
    path(
        "<slug:exercise_id>/steps/<int:number>/figure.svg",
        views.exercise_step_figure,
        name="exercise-step-figure",
    ),
]
