"""Queries, one module per aggregate; services reach the database only through them, gathered
for a transaction in `storage.store.Store`. What reports, digests and the privacy export read
across aggregates is in `storage.reads`."""
