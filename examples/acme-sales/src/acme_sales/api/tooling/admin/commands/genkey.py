"""admin genkey [--folder DIR] [--bits N]: a new signing key for the auth service.

Writes a new RSA private key as `<kid>.pem` (mode 0600) into the folder, creating the folder
(mode 0700) if need be, and prints the kid alone: `KID=$(admin genkey)`. The auth service loads
its keys when it starts; restart it to sign and verify with the new one.
"""

import argparse
from pathlib import Path

from acme_sales.api.services.auth.config import DEFAULT_KEYS_FOLDER
from acme_sales.api.tooling.admin.command import (
    CommandError,
    CommandWithArguments,
    UsageError,
)
from acme_sales.api.tooling.admin.config import AdminConfig
from acme_sales.foundation import keystore
from acme_sales.foundation.logger import Logger

# Above this, generating takes minutes and the key file nears the keystore's size limit.
MAX_BITS = 16384


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--folder",
        default=DEFAULT_KEYS_FOLDER,
        metavar="DIR",
        help="where to write the key, the auth service's AUTH_AUTH_KEYS_FOLDER "
        "(default %(default)s)",
    )
    parser.add_argument(
        "--bits",
        default=str(keystore.DEFAULT_RSA_BITS),
        metavar="N",
        help=f"RSA key size, {keystore.MIN_RSA_BITS} to {MAX_BITS} (default %(default)s)",
    )


async def run(cfg: AdminConfig, log: Logger, args: argparse.Namespace) -> None:
    bits = _parse_bits(args.bits)
    folder = Path(args.folder)
    try:
        kid = keystore.generate_key(folder, bits=bits)
    except OSError as err:
        # The error's own text would repeat the path of the file; the folder says enough.
        raise CommandError(f"cannot write a key into {folder}: {err.strerror}") from None
    log.info("key generated", kid=kid, folder=str(folder), bits=bits)
    print(kid)


def _parse_bits(raw: str) -> int:
    try:
        bits = int(raw)
    except ValueError:
        bits = 0
    if not keystore.MIN_RSA_BITS <= bits <= MAX_BITS:
        raise UsageError(
            f"--bits: must be a whole number from {keystore.MIN_RSA_BITS} to {MAX_BITS}"
        )
    return bits


COMMAND = CommandWithArguments(
    name="genkey",
    help="write a new signing key for the auth service and print its kid",
    add_arguments=add_arguments,
    run=run,
)
