"""Walk every URL and API endpoint with personas from two schools in two regions.

For each endpoint the walk proves: in-scope access works; out-of-scope objects answer 404 for every
method and stay unchanged; no page leaks the other school's children; analysts never see a name or an
IIN; every read of a child's record left an audit entry; anonymous callers get nothing.

Endpoints of later modules are covered without editing this file: the walk enumerates the URL
configuration, and a module registers how to build its objects with ``core.testing.walk_builder``.
An endpoint the walk cannot address fails the test and says what to register.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import Agency, AuditEntry, District, Organisation, Region
from core.roles import IDENTIFYING, role_allows
from core.scope import capability
from core.testing import PUBLIC_URLS, WALK_QUERIES, Site

pytestmark = pytest.mark.django_db

# URLs anyone may open signed out.
PUBLIC = {"login", "logout", "set_language", "javascript-catalog"} | PUBLIC_URLS
# Endpoints that take no object and whose success is checked elsewhere.
WRITE_ONLY = {"logout", "set_language", "core:profile-token"}


@dataclass
class Endpoint:
    name: str
    route: str
    kwargs: tuple[str, ...]
    model: type[Model] | None
    action: str
    is_api: bool
    methods: tuple[str, ...]


def _walk(patterns: list[Any], ns: str = "", route: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, inner or "", route + str(p.pattern))
        elif p.name:
            yield (f"{ns}:{p.name}" if ns else p.name), route + str(p.pattern), p


def endpoints() -> list[Endpoint]:
    found = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        kwargs = tuple(k for k in pattern.pattern.regex.groupindex if k != "format")
        if "format" in pattern.pattern.regex.groupindex:
            continue  # DRF's format-suffix twins of the same views
        cb = pattern.callback
        model, action, is_api, methods = None, "view", False, ("get",)
        if hasattr(cb, "cls"):  # DRF view or viewset
            is_api = True
            view_cls = cb.cls
            qs = getattr(view_cls, "queryset", None)
            model = qs.model if qs is not None else None
            actions = getattr(cb, "actions", None) or {}
            methods = tuple(m for m in actions) or ("get",)
        elif hasattr(cb, "view_class"):
            view_cls = cb.view_class
            model = getattr(view_cls, "url_model", None) or getattr(view_cls, "model", None)
            action = getattr(view_cls, "url_action", None) or getattr(view_cls, "action", "view")
            methods = tuple(m for m in ("get", "post") if hasattr(view_cls, m) and m in view_cls.http_method_names)
        found.append(Endpoint(name, route, kwargs, model, action, is_api, methods))
    return found


def reference_object(model: type[Model], site: Site) -> Model | None:
    """Objects that belong to no organisation (reference data, the audit trail)."""
    if model is Region:
        return Region.objects.get(pcode=site.region_pcode)
    if model is Agency:
        return Agency.objects.order_by("code").first()
    if model is District:
        region = Region.objects.get(pcode=site.region_pcode)
        return District.objects.get_or_create(
            region=region, name_ru="Тест", defaults={"name_kk": "Тест", "name_en": "Test"}
        )[0]
    if model is AuditEntry:
        return AuditEntry.objects.order_by("id").first()
    return None


def object_for(ep: Endpoint, site: Site) -> Model:
    assert ep.model is not None, f"{ep.name} ({ep.route}) takes {ep.kwargs} but names no model"
    obj = site.objects.get(ep.model) or reference_object(ep.model, site)
    assert obj is not None, (
        f"{ep.name}: no way to build a {ep.model.__name__}; register one with core.testing.walk_builder"
    )
    return obj


def url_for(ep: Endpoint, obj: Model | None) -> str:
    kwargs = {k: getattr(obj, k) for k in ep.kwargs}
    return reverse(ep.name, kwargs=kwargs)


def organisation_of(obj: Model) -> Organisation | None:
    path = getattr(type(obj), "scope_path", None)
    if path is None or path == "-":
        return None
    if path == "":
        return obj  # type: ignore[return-value]
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj  # type: ignore[return-value]


def expected_visible(user: Any, obj: Model, action: str) -> bool:
    """An oracle written apart from core.scope: the persona's assignments, checked in Python."""
    model = type(obj)
    if not hasattr(model, "scope_path"):
        return True  # reference data: every signed-in user
    cap = capability(model, action)
    org = organisation_of(obj)
    for a in user.assignments.select_related("organisation"):
        if not role_allows(a.role, cap):
            continue
        if org is None:
            return True
        if a.organisation_id == org.pk or (a.include_subtree and org.path.startswith(a.organisation.path)):
            return True
    return False


ALL = endpoints()
OBJECT_ENDPOINTS = [ep for ep in ALL if ep.kwargs]
LIST_ENDPOINTS = [ep for ep in ALL if not ep.kwargs and ep.name not in WRITE_ONLY]


def test_the_walk_sees_the_core_endpoints() -> None:
    names = {ep.name for ep in ALL}
    assert {"core:child-detail", "child-detail", "child-list", "core:child-list", "organisation-detail"} <= names
    assert len(OBJECT_ENDPOINTS) >= 10


def _snapshot(obj: Model) -> Any:
    fresh = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return fresh


@pytest.mark.parametrize("ep", OBJECT_ENDPOINTS, ids=lambda ep: ep.name)
def test_object_endpoints_by_persona(ep: Endpoint, sites: dict[str, Site], personas: dict[str, Any]) -> None:
    for persona in personas.values():
        client = persona.client()
        own = persona.site or sites["A"]
        other = sites["B"] if own is sites["A"] else sites["A"]
        for site in (own, other):
            obj = object_for(ep, site)
            url = url_for(ep, obj)
            visible = expected_visible(persona.user, obj, ep.action)
            reads = AuditEntry.objects.filter(
                action="view", object_id=str(getattr(obj, "uuid", "")), actor=persona.user
            )
            before_reads = reads.count()
            response = client.get(url)
            raw = b"".join(response.streaming_content) if response.streaming else response.content
            body = raw.decode(errors="replace")
            where = f"{persona.name} GET {url} ({ep.name})"
            if "get" not in ep.methods:  # a POST-only action on an object: GET is refused before any lookup
                assert response.status_code == 405, f"{where}: expected 405, got {response.status_code}"
                if visible:
                    continue
            if visible:
                assert response.status_code == 200, f"{where}: expected 200, got {response.status_code}"
                if getattr(obj, "audit_reads", False) and ep.action in ("view", "change") and ep.model is type(obj):
                    assert reads.count() > before_reads, f"{where}: the read left no audit entry"
            else:
                if "get" in ep.methods:
                    assert response.status_code == 404, f"{where}: expected 404, got {response.status_code}"
                # Out of scope: every other method answers 404 (or 405) and changes nothing.
                before = _snapshot(obj)
                for method in ("post", "put", "patch", "delete"):
                    r = getattr(client, method)(url, data={}, content_type="application/json")
                    # 403 would tell that the object exists: only 404, or 405 where the method is absent.
                    assert r.status_code in (404, 405), f"{persona.name} {method.upper()} {url}: {r.status_code}"
                assert _snapshot(obj) == before, f"{where}: the object changed"
            _assert_no_leak(persona, sites, body, where)


@pytest.mark.parametrize("ep", LIST_ENDPOINTS, ids=lambda ep: ep.name)
def test_list_endpoints_by_persona(ep: Endpoint, sites: dict[str, Site], personas: dict[str, Any]) -> None:
    for persona in personas.values():
        url = reverse(ep.name)
        response = persona.client().get(url, WALK_QUERIES.get(ep.name, {}))
        where = f"{persona.name} GET {url}"
        allowed: tuple[int, ...] = (200, 403)
        if ep.name == "login":
            allowed = (200, 302)  # signed in: the login page sends you home
        elif ep.name in PUBLIC_URLS:
            allowed = (200, 302, 405)  # public pages of a module (e.g. without a student code: back to start)
        elif "get" not in ep.methods:
            allowed = (403, 405)  # POST-only endpoints (imports) are exercised by their own tests
        assert response.status_code in allowed, f"{where}: {response.status_code}"
        _assert_no_leak(persona, sites, response.content.decode(errors="replace"), where)


def _assert_no_leak(persona: Any, sites: dict[str, Site], body: str, where: str) -> None:
    for label, site in sites.items():
        if persona.site is site:
            continue  # their own children: allowed (if their role may see them)
        for secret in filter(None, site.secrets):
            assert secret not in body, f"{where}: leaked {secret!r} of site {label}"


def test_own_children_are_listed_but_only_for_identifying_roles(
    sites: dict[str, Site], personas: dict[str, Any]
) -> None:
    child_a = sites["A"].objects
    from core.models import Child

    name = child_a[Child].last_name  # type: ignore[attr-defined]
    for who in ("psychologist_a", "director_a", "case_manager_a"):
        assert name in personas[who].client().get(reverse("core:child-list")).content.decode()
    analyst = personas["analyst"].client()
    web = analyst.get(reverse("core:child-list")).content.decode()
    api = analyst.get(reverse("child-list")).json()
    assert name not in web and api["count"] == 2
    assert set(api["results"][0]) == {"pseudonym", "birth_year", "sex", "region", "organisation_kind", "language"}


@pytest.mark.parametrize("ep", [ep for ep in ALL if ep.name not in PUBLIC], ids=lambda ep: ep.name)
def test_anonymous_gets_nothing(ep: Endpoint, sites: dict[str, Site], client: Any) -> None:
    url = url_for(ep, object_for(ep, sites["A"])) if ep.kwargs else reverse(ep.name)
    response = client.get(url)
    if ep.is_api:
        assert response.status_code in (401, 403), f"{url}: {response.status_code}"
    else:
        assert response.status_code in (302, 405), f"{url}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login"))


def test_analysts_hold_no_identifying_capability() -> None:
    from core.roles import CAPABILITIES, Role

    assert not (CAPABILITIES[Role.ANALYST] & IDENTIFYING)
