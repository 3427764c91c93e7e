"""Tests in a real Chromium: the service worker, IndexedDB, going offline, the outbox."""
