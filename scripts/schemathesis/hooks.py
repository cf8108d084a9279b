# Session tokens for the admin API (/api): a fresh HS256 token per request, as App Bridge hands the
# embedded admin one, signed with the dev secret the app runs with in CI (tokens live 60 s).
import base64
import hashlib
import hmac
import json
import os
import time
import uuid

import schemathesis


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def session_token() -> str:
    shop = os.environ.get("FUZZ_SHOP", "tally-demo.myshopify.com")
    now = int(time.time())
    payload = {
        "iss": f"https://{shop}/admin",
        "dest": f"https://{shop}",
        "aud": os.environ["SHOPIFY_API_KEY"],
        "sub": "9001",
        "exp": now + 60,
        "nbf": now,
        "iat": now,
        "jti": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
    }
    unsigned = f'{_b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())}.{_b64(json.dumps(payload).encode())}'
    signature = hmac.new(os.environ["SHOPIFY_API_SECRET"].encode(), unsigned.encode(), hashlib.sha256).digest()
    return f"{unsigned}.{_b64(signature)}"


@schemathesis.auth()
class AdminSession:
    def get(self, case, context):
        return session_token()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        if case.path.startswith("/api/"):
            case.headers["Authorization"] = f"Bearer {data}"
