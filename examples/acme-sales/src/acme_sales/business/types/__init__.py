"""Strong value types: a value of one of these has passed its type's rule.

Each is built only through its `parse`, which raises ParseError with the reason; past the app
layer, business code never sees an unchecked name, address, role or password.
"""

from acme_sales.business.types.email import Email
from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.name import Name
from acme_sales.business.types.password import Password
from acme_sales.business.types.role import Role

__all__ = ["Email", "Name", "ParseError", "Password", "Role"]
