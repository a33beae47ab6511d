-- Push tokens are sealed inside `doc` from now on: pushes find their monitor by a
-- sha256 of the token instead. Users can be disabled.
ALTER TABLE monitors ADD COLUMN push_token_hash text;
UPDATE monitors SET push_token_hash = encode(sha256(convert_to(doc->>'push_token', 'UTF8')), 'hex')
    WHERE doc->>'push_token' IS NOT NULL AND doc->>'push_token' NOT LIKE 'upmon:enc:%';
DROP INDEX IF EXISTS monitors_push_token;
CREATE UNIQUE INDEX monitors_push_token_hash ON monitors (push_token_hash)
    WHERE deleted_at IS NULL AND push_token_hash IS NOT NULL;

ALTER TABLE users ADD COLUMN disabled_at timestamptz;
