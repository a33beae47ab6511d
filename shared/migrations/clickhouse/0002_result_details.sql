-- Certificate identity for TLS and HTTPS checks; kind-specific details as JSON text.
ALTER TABLE {db}.check_results ADD COLUMN IF NOT EXISTS cert_issuer Nullable(String) AFTER cert_expires_at;
ALTER TABLE {db}.check_results ADD COLUMN IF NOT EXISTS cert_subject Nullable(String) AFTER cert_issuer;
ALTER TABLE {db}.check_results ADD COLUMN IF NOT EXISTS details String DEFAULT '' AFTER cert_subject
