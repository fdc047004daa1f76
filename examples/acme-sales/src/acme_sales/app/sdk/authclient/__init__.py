"""How a service asks the auth service who a caller is and what they may do."""

from acme_sales.app.sdk.authclient.client import AuthClient, AuthorizeRequest
from acme_sales.app.sdk.authclient.httpclient import HTTPAuthClient

__all__ = ["AuthClient", "AuthorizeRequest", "HTTPAuthClient"]
