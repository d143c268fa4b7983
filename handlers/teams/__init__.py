"""The Microsoft Teams adapter (issue 17, being built): so far the app package an admin uploads,
and the check that an activity was signed by Bot Framework for this app (not yet wired to a
route)."""
