-- Heartbeat pushes find their monitor by its secret token.
CREATE UNIQUE INDEX monitors_push_token ON monitors ((doc->>'push_token'))
    WHERE deleted_at IS NULL AND doc->>'push_token' IS NOT NULL;
