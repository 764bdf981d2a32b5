from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo world (`seed_demo`, `demo_logins`): calls every app's demo builder, so it sits
    above them all. The builders themselves stay in their apps."""

    name = "demo"
