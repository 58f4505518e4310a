from django.urls import path

from . import views

urlpatterns = [
    path("", views.choices_page, name="reminder-choices"),
    path("confirm/<str:token>/", views.confirm_email, name="reminder-confirm"),
    path("stop/<str:token>/", views.stop_email, name="reminder-stop"),
    path("push/subscribe/", views.push_subscribe, name="push-subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push-unsubscribe"),
]
