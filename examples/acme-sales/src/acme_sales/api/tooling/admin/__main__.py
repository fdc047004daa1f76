"""`python -m acme_sales.api.tooling.admin`: the same as the `admin` script."""

import sys

from acme_sales.api.tooling.admin.main import main

if __name__ == "__main__":
    sys.exit(main())
