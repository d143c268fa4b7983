"""The Microsoft Teams adapter: `POST /api/messages` (activities checked for Bot Framework's
signature), commands, Adaptive Cards and dialogs over the core, sending through Bot Connector
within Microsoft's rate limits, the app package, the Bot Connector stand-in and the demo."""
