"""A stand-in for Slack: its Web API on a loopback port, and a driver that sends signed requests.

Tests and `verkosto demo` run the real app against it; no Slack account is needed.
"""
