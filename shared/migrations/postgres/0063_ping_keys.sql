-- Ping keys: one secret for a fleet of jobs, each naming its monitor by slug
-- (/push/{ping_key}/{slug}). Only a sha256 of the key is kept, as for API keys.
CREATE TABLE ping_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    prefix       text NOT NULL,
    key_hash     text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- upmon has one account, so a slug names one live heartbeat monitor of the whole
-- installation; the index both finds it and refuses a second one.
CREATE UNIQUE INDEX monitors_heartbeat_slug ON monitors ((doc->'heartbeat'->>'slug'))
    WHERE deleted_at IS NULL AND doc->>'kind' = 'heartbeat'
        AND doc->'heartbeat'->>'slug' IS NOT NULL;
