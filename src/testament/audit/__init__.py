"""The audit log, read side: `GET /v1/audit_log` (our extension; the writes go through kit.audit)."""
