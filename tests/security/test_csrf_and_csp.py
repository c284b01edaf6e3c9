"""CSRF on every state-changing view, and the Content-Security-Policy on every HTML page, both walked from the
URLconf with the permission matrix's rules (so a new view is covered as soon as it declares its rule)."""

import re

import pytest

from .conftest import walk_urlconf
from .test_permission_matrix import KINDS, ROLES, build_url, client_for, request, rule_for

pytestmark = pytest.mark.django_db
#: POST views without CSRF, and what protects them instead
CSRF_EXEMPT = {"commerce_api:webhook": "payment providers sign their deliveries; an unsigned or forged one is a 400 "
                                       "(tests/commerce/test_webhooks.py)",
               "notifications:unsubscribe": "one-click unsubscribe from mail clients (RFC 8058): the signed token in "
                                            "the URL is the credential; a bad token is a 400"}


def _allowed_roles(kind: str) -> list[str]:
    return [role for role, outcome in zip(ROLES, KINDS[kind], strict=True) if outcome == "ok"]


def _routes(method: str):
    for route in walk_urlconf():
        rule = rule_for(route.name)
        if rule and method in rule[1] and _allowed_roles(rule[0]):
            yield route, rule[0]


def test_every_state_changing_view_refuses_a_post_without_a_csrf_token(world):
    checked, failures = 0, []
    for route, kind in _routes("POST"):
        if route.name in CSRF_EXEMPT:
            continue
        url = build_url(route, world)
        for role in {_allowed_roles(kind)[0], _allowed_roles(kind)[-1]}:
            client = client_for(world, role, enforce_csrf_checks=True)
            response = request(client, "POST", url)
            checked += 1
            if response.status_code != 403:
                failures.append(f"{route.name} POST {url} as {role} without a token: {response.status_code}")
    assert checked > 20
    assert not failures, "\n".join(failures)


def test_a_post_with_the_token_gets_through(world):
    """Guards the test above: the 403s come from CSRF, not from something else refusing every POST."""
    client = client_for(world, "creator_b", enforce_csrf_checks=True)
    url = build_url(next(r for r, _ in _routes("POST") if r.name == "catalog:studio_storefront"), world)
    client.get(url)
    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "name": ""})
    assert response.status_code == 200  # the form again, with its errors


INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def test_every_html_response_carries_a_strict_csp_and_has_no_inline_styles(world):
    checked, failures = 0, []
    for route, kind in _routes("GET"):
        url = build_url(route, world)
        for role in {_allowed_roles(kind)[0], _allowed_roles(kind)[-1]}:
            response = request(client_for(world, role), "GET", url)
            if not response.get("Content-Type", "").startswith("text/html") or response.status_code >= 300:
                continue
            checked += 1
            policy = response.get("Content-Security-Policy", "")
            directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
            problems = []
            if directives.get("style-src") != ["'self'"]:
                problems.append(f"style-src is {directives.get('style-src')}")
            if "unsafe-inline" in policy or "unsafe-eval" in policy:
                problems.append("unsafe-inline/unsafe-eval in the policy")
            for name in ("object-src", "base-uri", "frame-ancestors"):
                if directives.get(name) != ["'none'"]:
                    problems.append(f"{name} is {directives.get(name)}")
            body = response.content.decode(errors="replace")
            if INLINE_STYLE.search(body):
                problems.append(f"inline style: {INLINE_STYLE.search(body).group(0)!r}")
            for tag in INLINE_SCRIPT.findall(body):
                if "nonce=" not in tag:
                    problems.append(f"inline script without a nonce: {tag}")
            if problems:
                failures.append(f"{route.name} {url} as {role}: " + "; ".join(problems))
    assert checked > 15
    assert not failures, "\n".join(failures)
