"""The web side of `verkosto serve`, shared by every platform: the routes beside the platforms'
own (health, readiness, metrics, calendars) and the gunicorn server."""
