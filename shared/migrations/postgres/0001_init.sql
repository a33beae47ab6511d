-- Users, keys, monitors, channels, the outbox, and the notifier's state and incidents.
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL DEFAULT 'admin' CHECK (role IN ('read', 'write', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    scope        text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    prefix       text NOT NULL,
    -- sha256 of the whole key: the key itself is shown once and never stored.
    key_hash     text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE monitors (
    id         uuid PRIMARY KEY,
    version    integer NOT NULL,
    doc        jsonb NOT NULL,
    tags       text[] NOT NULL DEFAULT '{}',
    paused     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX monitors_live ON monitors (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX monitors_tags ON monitors USING gin (tags);

CREATE TABLE channels (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    kind       text NOT NULL,
    config     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);

-- Transactional outbox: written in the same transaction as the change it announces.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    event_id   uuid NOT NULL UNIQUE,
    subject    text NOT NULL,
    payload    bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('upmon_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

CREATE TABLE monitor_state (
    monitor_id            uuid PRIMARY KEY,
    status                text NOT NULL DEFAULT 'pending',
    since                 timestamptz NOT NULL DEFAULT now(),
    consecutive_failures  integer NOT NULL DEFAULT 0,
    consecutive_successes integer NOT NULL DEFAULT 0,
    -- Latest scheduled_at applied per region: older or repeated results change nothing.
    applied               jsonb NOT NULL DEFAULT '{}',
    last_checked_at       timestamptz,
    last_result           jsonb,
    open_incident_id      uuid,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE incidents (
    id              uuid PRIMARY KEY,
    monitor_id      uuid NOT NULL,
    status          text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
    cause           text NOT NULL DEFAULT '',
    regions         text[] NOT NULL DEFAULT '{}',
    first_result    jsonb,
    opened_at       timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_by     text
);
CREATE INDEX incidents_monitor ON incidents (monitor_id, opened_at DESC);
CREATE INDEX incidents_status ON incidents (status, opened_at DESC);

-- One row per delivery attempt; delivered_ok marks the delivery as done for good.
CREATE TABLE delivery_attempts (
    id          bigserial PRIMARY KEY,
    delivery_id uuid NOT NULL,
    channel_id  uuid NOT NULL,
    incident_id uuid,
    event       text NOT NULL,
    attempt     integer NOT NULL,
    outcome     text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
    status_code integer,
    error       text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);
CREATE INDEX delivery_attempts_incident ON delivery_attempts (incident_id, at);
