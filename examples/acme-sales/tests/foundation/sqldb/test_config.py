from acme_sales.foundation import sqldb

SECRET = "s3cr3t-value"


def test_dsn_leaves_out_the_password() -> None:
    cfg = sqldb.DBConfig(user="sales user", password=SECRET, host="db", port=6432, name="sales")

    assert sqldb.dsn(cfg) == "postgresql://sales%20user@db:6432/sales?sslmode=disable"


def test_dsn_brackets_an_ipv6_host() -> None:
    assert sqldb.dsn(sqldb.DBConfig(host="::1")).startswith("postgresql://postgres@[::1]:5432/")


def test_dsn_requires_tls_when_asked() -> None:
    assert sqldb.dsn(sqldb.DBConfig(tls=True)).endswith("?sslmode=require")


def test_config_repr_masks_the_password() -> None:
    shown = repr(sqldb.DBConfig(password=SECRET))

    assert SECRET not in shown
    assert "password='******'" in shown
