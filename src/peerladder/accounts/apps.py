from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "peerladder.accounts"
    verbose_name = "Accounts"
