-- Token buckets of the API rate limit, shared by every api replica.
-- UNLOGGED: no WAL for a write per request; a crash only refills every bucket.
-- Only `tokens` and `at` change, neither indexed, so updates stay HOT.
CREATE UNLOGGED TABLE rate_buckets (
    bucket text PRIMARY KEY,
    tokens double precision NOT NULL,
    at     timestamptz NOT NULL
) WITH (fillfactor = 70);
