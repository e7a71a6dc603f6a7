"""A Response Endpoint for the Messaging API integration, on the Python standard library.

It checks each request's Standard Webhooks signature, drops repeats by `webhook-id`, and answers `{"id": ...}` so
that the integration stores this id on the bot's message.

Run: SIGNING_SECRET=whsec_... python3 receiver.py   (PORT, default 4200; HOST, default 127.0.0.1)

Signatures are checked with the `standardwebhooks` package from PyPI when it is installed
(`pip install standardwebhooks`); without it, with the same check written on the standard library (see README.md).
The first line printed says which one is used.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60  # what standardwebhooks accepts: a timestamp at most 5 minutes off


class StdlibWebhook:
    """The Standard Webhooks check (https://www.standardwebhooks.com/), as the standardwebhooks package does it."""

    def __init__(self, secret: str):
        self.key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)

    def verify(self, body: bytes, headers: dict) -> dict:
        msg_id = headers.get("webhook-id")
        timestamp = headers.get("webhook-timestamp")
        signatures = headers.get("webhook-signature")
        if not (msg_id and timestamp and signatures):
            raise ValueError("missing webhook headers")
        try:
            sent_at = int(timestamp)
        except ValueError:
            raise ValueError("invalid webhook-timestamp") from None
        if abs(time.time() - sent_at) > TOLERANCE_SECONDS:
            raise ValueError("webhook-timestamp too old or too new")
        signed = msg_id.encode() + b"." + timestamp.encode() + b"." + body
        expected = base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest()).decode()
        # The header holds space-separated "v1,<base64>" entries (several during a secret rotation)
        for entry in signatures.split(" "):
            version, _, signature = entry.partition(",")
            if version == "v1" and hmac.compare_digest(signature, expected):
                return json.loads(body)
        raise ValueError("no matching signature")


try:
    from standardwebhooks import Webhook

    VERIFIER = "the standardwebhooks package"
except ImportError:
    Webhook = StdlibWebhook
    VERIFIER = "the standard library (standardwebhooks is not installed)"

SECRET = os.environ.get("SIGNING_SECRET", "")
if not SECRET.startswith("whsec_"):
    sys.exit("Set SIGNING_SECRET to the signing secret of the integration (whsec_...).")
WEBHOOK = Webhook(SECRET)

# The integration sends a message at most 3 times within 20 s, always with the same webhook-id; a signature is
# accepted for 5 minutes. Ids older than 10 minutes can go. With several copies of this server, keep them in a
# shared store instead (a unique key on webhook-id).
KEEP_SECONDS = 10 * 60
MAX_BODY_BYTES = 1024 * 1024
seen = {}  # webhook-id -> (id, when); a dict keeps insertion order
seen_lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_BODY_BYTES:
            return self.answer(413, {"error": "too large"})
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            # The signature covers the exact bytes sent: verify the raw body, then use what verify() parsed
            message = WEBHOOK.verify(body, headers)
        except Exception:
            print("✗ refused a request whose signature is missing, invalid or too old", flush=True)
            return self.answer(401, {"error": "invalid signature"})

        if message.get("type") == "typing":
            # Only with Typing Indicator on: the bot started (payload.typing true) or stopped answering. Sent once,
            # never retried, each with a webhook-id of its own: nothing to de-duplicate. Hide a start after timeoutMs.
            state = "started" if (message.get("payload") or {}).get("typing") else "stopped"
            print(f"… typing {state} in conversation {message.get('conversationId')}", flush=True)
            return self.answer(200, {})

        webhook_id = headers["webhook-id"]
        now = time.time()
        with seen_lock:
            for old_id in [key for key, (_, when) in seen.items() if now - when >= KEEP_SECONDS]:
                del seen[old_id]
            known = seen.get(webhook_id)
            if known is None:
                answer_id = f"ex_{uuid.uuid4()}"
                seen[webhook_id] = (answer_id, now)
        if known is not None:
            # A retry of a message already handled (our first answer was lost or late): same answer, nothing twice
            print(f"↺ repeat of {webhook_id} dropped (answered id {known[0]} again)", flush=True)
            return self.answer(200, {"id": known[0]})

        if message.get("type") == "event":
            # The bot's "Send Event to Your Back End" card: not a chat message but something to do. Its webhook-id is
            # its eventId, so a retry was dropped above like a message's. The answer's body is ignored.
            print(f"⚡ {webhook_id} event {message.get('name')} for conversation {message.get('conversationId')}", flush=True)
            return self.answer(200, {})

        # Your code goes here: hand the bot's message to your user
        payload = message.get("payload") or {}
        text = payload.get("text", payload.get("markdown", ""))
        print(
            f"✓ {webhook_id} {message.get('type')} for conversation {message.get('conversationId')}: "
            f"{json.dumps(text, ensure_ascii=False)} -> id {answer_id}",
            flush=True,
        )
        self.answer(200, {"id": answer_id})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # one line per message is printed above instead of the access log


def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "4200"))
    server = ThreadingHTTPServer((host, port), Receiver)
    # PORT=0 takes any free port: the one bound is printed
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"Signatures checked with {VERIFIER}", flush=True)
    print(f"Receiving bot messages on {url}", flush=True)
    print(f'Try it, with the same SIGNING_SECRET in the environment: npm start -- --endpoint {url}', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
