"""A local fake of the LINE Messaging API, so tests and the demo never reach LINE or the internet.

It answers the calls e-Saraban makes (push, reply, quota, link token, profile) the way api.line.me does,
checks every body against LINE's own OpenAPI schemas (`fake_line.contract`), sends signed webhook events
(follow, unfollow, accountLink), plays the account-link dialog of access.line.me, fails on demand, and
shows the cards it received on a demo page. Start it with `python -m fake_line` or
`fake_line.server.create_app(...)`. Endpoints: `api` (LINE's), `dialog` (account linking), `control`
(`/_fake/...`, for tests), `demo` (`/`).
"""
