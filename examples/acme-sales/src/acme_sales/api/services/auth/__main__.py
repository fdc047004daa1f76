"""`python -m acme_sales.api.services.auth`"""

import sys

from acme_sales.api.services.auth.main import main

# The guard matters: spawned worker processes re-import this module under another name.
if __name__ == "__main__":
    sys.exit(main())
