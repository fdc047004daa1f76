"""How a service learns who a caller is and what they may do: by asking the auth service
(HTTPAuthClient, remote mode) or by deciding in process with its keys (LocalAuthClient)."""

from acme_sales.app.sdk.authclient.client import AuthClient, AuthorizeRequest
from acme_sales.app.sdk.authclient.httpclient import HTTPAuthClient
from acme_sales.app.sdk.authclient.jwks import JWKSKeys
from acme_sales.app.sdk.authclient.local import LocalAuthClient

__all__ = ["AuthClient", "AuthorizeRequest", "HTTPAuthClient", "JWKSKeys", "LocalAuthClient"]
