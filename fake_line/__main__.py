"""`python -m fake_line`: serve the fake LINE platform on its own (as `make run` does beside the app)."""
import argparse
import os
import sys

from werkzeug.serving import make_server

from fake_line.server import create_app


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m fake_line", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--channel-token", default=os.environ.get("LINE_CHANNEL_ACCESS_TOKEN"),
                        help="bearer token the API accepts (default: $LINE_CHANNEL_ACCESS_TOKEN)")
    parser.add_argument("--channel-secret", default=os.environ.get("LINE_CHANNEL_SECRET"),
                        help="key that signs webhooks (default: $LINE_CHANNEL_SECRET)")
    parser.add_argument("--webhook-url", help="the app's webhook endpoint, where events are POSTed")
    parser.add_argument("--app-url", help="the app's address, linked from the account-link dialog")
    parser.add_argument("--monthly-quota", type=int, default=1000, help="messages a month; -1: no limit")
    args = parser.parse_args(argv)
    if not args.channel_token or not args.channel_secret:
        parser.error("give --channel-token and --channel-secret "
                     "(or set LINE_CHANNEL_ACCESS_TOKEN and LINE_CHANNEL_SECRET)")
    return args


def main(argv=None):
    args = parse_args(argv)
    quota = None if args.monthly_quota < 0 else args.monthly_quota
    app = create_app(args.channel_token, args.channel_secret, webhook_url=args.webhook_url,
                     monthly_quota=quota, app_url=args.app_url)
    server = make_server(args.host, args.port, app, threaded=True)
    webhooks_to = args.webhook_url or "nowhere"
    print(f"fake LINE on http://{args.host}:{server.server_port}/ (webhooks to {webhooks_to})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
