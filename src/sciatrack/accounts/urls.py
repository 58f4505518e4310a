from django.contrib.auth import views as auth_views
from django.urls import path

from . import own_data, tokens, two_factor, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", own_data.account_page, name="account"),
    path("my-data.json", own_data.my_data, name="my-data"),
    path("delete/", own_data.delete_my_account, name="delete-account"),
    path("keys/", tokens.keys_page, name="api-keys"),
    path("tokens/", tokens.create_token, name="create-token"),
    path("two-factor/", two_factor.second_factor_page, name="two-factor"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_token, name="revoke-token"),
]
