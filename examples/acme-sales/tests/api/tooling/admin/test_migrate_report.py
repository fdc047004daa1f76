"""What admin migrate tells the operator about a run."""

from acme_sales.api.tooling.admin.commands.migrate import report
from acme_sales.business.sdk import migrate
from acme_sales.foundation import logger
from tests.support.logs import CapturedLogs


def test_a_retired_domain_is_a_warning_and_the_run_still_completes() -> None:
    logs = CapturedLogs()
    [core] = [m for m in migrate.load_migrations() if m.version == 1]
    retired = migrate.AppliedMigration("domain:shop", migrate.Kind.DOMAIN, "0" * 64)

    report(migrate.MigrationRun(applied=[core], retired=[retired]), logger.get_logger())

    [warning] = logs.events(
        "domain retired: its migration file is gone, its tables were left in place"
    )
    assert (warning["level"], warning["migration"]) == ("warning", "domain:shop")
    [done] = logs.events("migrations complete")
    assert (done["applied"], done["retired"]) == (["0001_create_users.sql"], ["domain:shop"])
