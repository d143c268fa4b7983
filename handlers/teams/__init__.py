"""The Microsoft Teams adapter (issue 17, being built): so far the app package an admin uploads."""
