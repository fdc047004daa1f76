"""`python -m acme_sales.api.tooling.logfmt`: the same as the `logfmt` command."""

import sys

from acme_sales.api.tooling.logfmt.main import main

sys.exit(main())
