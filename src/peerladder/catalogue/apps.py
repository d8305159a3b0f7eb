from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "peerladder.catalogue"
    verbose_name = "Catalogue"
