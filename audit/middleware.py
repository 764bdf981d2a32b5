"""Every audit row written while a request is served carries that request's client address."""

from audit.services import client_ip, current_client_ip


class ClientAddressMiddleware:
    """Early in the chain, so that whatever runs below (login signals, services called from the
    admin, the API, the desk and phone pages) sees the address through `current_client_ip`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_client_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_client_ip.reset(token)
