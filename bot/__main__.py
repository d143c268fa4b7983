"""`python -m bot` is `verkosto`."""

from bot.cli import main

main()
