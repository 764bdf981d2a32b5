from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a workstation
    with an English browser would get English pages; a bureau's system speaks Chinese first.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = self.get_response(request)
        finally:
            # Do not leak this request's language into whatever the thread runs next.
            translation.deactivate()
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class ReadYourWritesMiddleware:
    """With read replicas: tells core.db.replicas whose request it serves, and marks a user who
    sent a write (any unsafe method) so that their next few seconds of reads use the primary.
    Users who can read no stale page (grid workers on their phones) are not marked."""

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.db import replicas

        if not replicas.replica_aliases():
            return self.get_response(request)
        with replicas.serving(request):
            response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it on the request too, token users included
        if (
            request.method in self.UNSAFE
            and user is not None
            and user.is_authenticated
            and replicas.may_read_stale(user)
        ):
            replicas.mark_write(user.pk)
        return response
