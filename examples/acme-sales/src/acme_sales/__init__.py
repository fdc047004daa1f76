"""Acme Sales.

Sales and auth services in the Ultimate Service style, on Litestar
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("acme-sales")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
