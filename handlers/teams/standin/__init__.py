"""Stand-ins for what Microsoft runs, for tests and the demo: Bot Framework's signing keys."""
