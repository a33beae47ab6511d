-- Login sessions, the login throttle, and status pages.

-- Only a sha256 of the token is kept: a leaked table does not leak live sessions.
CREATE TABLE sessions (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- One row per login attempt inside the throttle window, shared by every api replica.
CREATE TABLE login_attempts (
    id      bigserial PRIMARY KEY,
    address text NOT NULL,
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

CREATE TABLE status_pages (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
    title       text NOT NULL,
    -- In display order.
    monitor_ids uuid[] NOT NULL DEFAULT '{}',
    public      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);
