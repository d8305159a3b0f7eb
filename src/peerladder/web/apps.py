from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "peerladder.web"
    verbose_name = "Web pages"
