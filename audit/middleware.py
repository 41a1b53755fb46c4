from audit.context import client_address
from kernel.clients import client_address as address_of


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The same address as the throttles and the lockout (kernel.clients): behind trusted proxies
        # the forwarded one, otherwise REMOTE_ADDR; a client cannot choose it with a header.
        token = client_address.set(address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_address.reset(token)
