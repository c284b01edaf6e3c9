"""Issue 22: every named view and API, URLconf-driven like the permission matrix, answers hostile query strings
and bodies without a 500: NUL bytes, Unicode digits ("²" passes str.isdigit, then int() fails), CR/LF, deep
nesting and oversized numbers in every common query parameter, form fields and (for the API) JSON bodies. Each
view is called as the role that gets deepest into it (the owner, the learner or staff)."""

from django.db import transaction
from django.test import Client

from .conftest import walk_urlconf
from .test_permission_matrix import KINDS, build_url, rule_for

HOSTILE = ["a\x00b", "1²", "x\r\nSet-Cookie: a=b", "[" * 2000]  # query strings (GET)
HOSTILE_POST = ["²", "x\r\n", "[" * 2000]  # form fields and, for the API, JSON (the last: 5,000-deep)
PARAMS = ("q", "category", "language", "level", "page", "limit", "by", "days", "course", "size", "layout", "title",
          "subtitle", "next", "sort", "price", "duration", "rating", "v", "status", "variant", "arm", "seed", "k",
          "format", "from", "to", "storefront", "id", "pk", "code", "coupon", "lesson", "since", "until")
DEEP_JSON = '{"events": ' + "[" * 5000 + "]" * 5000 + "}"
PREFERENCE = ("creator_b", "learner", "staff", "anonymous")
SKIP = {"accounts:logout", "admin:logout"}  # would end the session the rest of the walk uses


def _role(kind: str) -> str:
    expected = dict(zip(("anonymous", "learner", "creator_a", "creator_b", "staff"), KINDS[kind], strict=True))
    return next((role for role in PREFERENCE if expected[role] == "ok"), "staff")


def _call(client, method: str, url: str, value: str):
    query = {name: value for name in PARAMS}
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, query)
        elif url.startswith("/api/"):
            response = client.post(url, DEEP_JSON if value == "[" * 2000 else {"events": [query]},
                                   content_type="application/json")
        else:
            response = client.post(url, query)
        transaction.set_rollback(True)
    return response


def test_no_view_or_api_answers_a_hostile_query_or_body_with_a_500(world):
    routes = [r for r in walk_urlconf() if rule_for(r.name) and r.name not in SKIP]
    assert len(routes) > 30
    clients: dict[str, Client] = {}
    failures = []
    for route in routes:
        kind, methods = rule_for(route.name)
        role = _role(kind)
        if role not in clients:
            clients[role] = Client(raise_request_exception=False)
            if world[role] is not None:
                clients[role].force_login(world[role])
        url = build_url(route, world).split("?")[0]
        for method in sorted({"GET", *methods} & {"GET", "POST"}):
            for value in HOSTILE if method == "GET" else HOSTILE_POST:
                response = _call(clients[role], method, url, value)
                if response.status_code >= 500:
                    failures.append(f"{route.name} {method} {url} as {role} with {value[:12]!r}: "
                                    f"{response.status_code}")
    assert not failures, "\n".join(failures)
