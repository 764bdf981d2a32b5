"""Database helpers every app may use: append-only models (append_only) and bulk loading
through PostgreSQL COPY (bulk)."""
