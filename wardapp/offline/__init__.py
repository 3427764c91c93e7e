"""Working without a connection: the outbox page, the service worker, the web manifest, the
rescue import of an outbox file."""
