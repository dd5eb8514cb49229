from django.apps import AppConfig


class BlacklistsConfig(AppConfig):
    name = "blacklists"
