"""Strong value types: a value of one of these has passed its type's rule.

Each is built only through its `parse`, which raises ParseError with the reason; past the app
layer, business code never sees an unchecked name, address, role, password, amount or count.
"""

from acme_sales.business.types.email import Email
from acme_sales.business.types.errors import ParseError
from acme_sales.business.types.money import Money
from acme_sales.business.types.name import Name
from acme_sales.business.types.password import Password
from acme_sales.business.types.quantity import Quantity
from acme_sales.business.types.role import Role
from acme_sales.business.types.text import Text

__all__ = ["Email", "Money", "Name", "ParseError", "Password", "Quantity", "Role", "Text"]
