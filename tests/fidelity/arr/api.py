"""The HTTP client the *arr fidelity tests drive the doubles with."""

import requests


class Api:
    """A keyed requests session rooted at one double."""

    def __init__(self, server, key: str, header: str = "X-Api-Key", **headers):
        self.base = server.url
        self.session = requests.Session()
        self.session.headers.update({header: key, **headers})

    def __getattr__(self, method):
        return lambda path, **kw: self.session.request(method.upper(), self.base + path,
                                                       timeout=5, **kw)
