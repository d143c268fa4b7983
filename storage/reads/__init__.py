"""Read models: queries across aggregates for the digests, the reports and personal data."""
