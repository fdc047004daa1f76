"""The product domain: products owned by users.

`ProductBus` holds the rules and depends only on the `ProductStorer` protocol;
`stores.productdb.ProductDB` is the Postgres implementation.
"""

from acme_sales.business.domain.productbus import order
from acme_sales.business.domain.productbus.bus import (
    DisabledOwnerError,
    ProductBus,
    ProductNotFoundError,
    ProductStorer,
    UnknownOwnerError,
)
from acme_sales.business.domain.productbus.filter import ProductFilter
from acme_sales.business.domain.productbus.model import (
    NewProduct,
    Product,
    ProductView,
    UpdateProduct,
)

__all__ = [
    "DisabledOwnerError",
    "NewProduct",
    "Product",
    "ProductBus",
    "ProductFilter",
    "ProductNotFoundError",
    "ProductStorer",
    "ProductView",
    "UnknownOwnerError",
    "UpdateProduct",
    "order",
]
