"""`python -m handlers` is `verkosto`."""

from handlers.cli import main

main()
