"""The server images users run (compose.yaml, testcontainers) pinned to the
versions of the embedded parts the tests run against. A unit test holds all
three together: the embedded binaries, these names and compose.yaml."""

# The -alpine variant: the scratch image has no shell or wget for a healthcheck.
NATS_IMAGE = "nats:2.15.1-alpine"
POSTGRES_IMAGE = "postgres:16"
CLICKHOUSE_IMAGE = "clickhouse/clickhouse-server:26.9"
