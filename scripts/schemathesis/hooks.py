# Session tokens for the admin API (/api): a fresh HS256 token per request, as App Bridge hands the
# embedded admin one, signed with the dev secret the app runs with in CI (tokens live 60 s).
import base64
import hashlib
import hmac
import json
import os
import time
import uuid
from datetime import date, datetime, timedelta, timezone

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


# Rules JSON Schema cannot write down (one field against another, or against today), each answered
# 422 by its route and said in the document's descriptions: generated cases that break one are
# passed over (filter_case: the one filter every phase applies, coverage included), so a 422 for a
# case that keeps them all still fails the run.
MAX_RANGE_DAYS = 731
RANGED = ("/api/accounting/daily", "/api/analytics")
PROGRAMS = ("/api/program", "/api/tiers/preview")


def _day(text):
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _today():
    return datetime.now(timezone.utc).date()


def _range_kept(query) -> bool:
    """?from&to: from not after to, at most 731 days (accounting/day-range.ts)."""
    if not isinstance(query, dict):
        return True
    to = _day(query.get("to")) if "to" in query else _today()
    start = _day(query.get("from")) if "from" in query else (to - timedelta(days=29) if to else None)
    if to is None or start is None:
        return True
    return start <= to and (to - start).days < MAX_RANGE_DAYS


def _distinct(items) -> bool:
    ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
    return len(ids) == len(set(ids))


def _surveys_kept(body) -> bool:
    """Survey ids differ, and question ids within a survey (engagement/slider-surveys.ts)."""
    surveys = body.get("surveys") if isinstance(body, dict) else None
    if not isinstance(surveys, list):
        return True
    questions = [s["questions"] for s in surveys if isinstance(s, dict) and isinstance(s.get("questions"), list)]
    return _distinct(surveys) and all(_distinct(q) for q in questions)


def _program_kept(value) -> bool:
    """A promotion or challenge ends after it starts, a reward's maxSteps is at least its minSteps, a
    membership switched on names its variant (program/program.ts)."""
    if isinstance(value, dict):
        starts, ends = value.get("startsAt"), value.get("endsAt")
        if isinstance(starts, str) and isinstance(ends, str) and ends <= starts:
            return False
        low, high = value.get("minSteps"), value.get("maxSteps")
        if isinstance(low, (int, float)) and isinstance(high, (int, float)) and high < low:
            return False
        if value.get("enabled") is True and value.get("variantId") == "":
            return False
        tiers = value.get("tiers")
        if isinstance(tiers, list) and tiers and all(isinstance(t, dict) for t in tiers):
            thresholds = [t.get("threshold") for t in tiers]
            if all(isinstance(x, (int, float)) for x in thresholds) and min(thresholds) != 0:
                return False  # the lowest tier starts at 0
            if not _distinct(tiers) or len(set(map(str, thresholds))) != len(thresholds):
                return False  # tier ids and thresholds differ
        roles, staff = value.get("roles"), value.get("staff")
        if isinstance(roles, list) and isinstance(staff, list):
            ids = {str(r.get("id")) for r in roles if isinstance(r, dict)}
            if any(isinstance(m, dict) and str(m.get("roleId")) not in ids for m in staff):
                return False  # a staff member holds one of the roles
            if "defaultRoleId" in value and str(value.get("defaultRoleId")) not in ids:
                return False  # and so does a new staff member
        return all(_program_kept(item) for item in value.values())
    if isinstance(value, list):
        if any(isinstance(item, dict) and "id" in item for item in value) and not _distinct(value):
            return False  # ids within a list (rewards, tiers, roles, multipliers, ...) differ
        return all(_program_kept(item) for item in value)
    return True


@schemathesis.hook
def filter_case(ctx, case):
    path = case.operation.path
    if path in RANGED:
        return _range_kept(case.query)
    if path == "/api/engagement/surveys":
        return _surveys_kept(case.body)
    if path == "/api/backfills" and isinstance(case.body, dict):
        since = _day(case.body.get("since"))
        return since is None or since <= _today()
    if path == "/api/program" and case.method.upper() == "PUT" and isinstance(case.body, dict) and case.body.get("enabled") is False:
        # Switching the program off would turn every later redemption of the run into a 422
        # program_disabled: a state the run made, not a disagreement with the document.
        return False
    if path in PROGRAMS:
        draft = (case.query or {}).get("draft") if case.method.upper() == "GET" else case.body
        if isinstance(draft, str):
            try:
                draft = json.loads(draft)
            except ValueError:
                return True
        return _program_kept(draft)
    return True
