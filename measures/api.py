"""API views of the rules: one per operation, thin. Errors are problem+json (haidong_policy.problems)."""

from __future__ import annotations

import datetime as dt
import json

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from applications.selectors import project_already_granted
from haidong_policy.problems import DomainError
from measures import catalogue, serialize
from measures.engine import evaluate
from measures.examples import EXAMPLE_FACTS
from measures.facts import Facts, FactsError, parse_facts
from measures.schemas import EligibilityOut, MeasureEntryOut, MeasureListOut, ProblemOut
from measures.version import RULES_VERSION

LANGUAGE_HEADER = OpenApiParameter(
    "Accept-Language", str, OpenApiParameter.HEADER, enum=["zh-hans", "en"],
    description="Language of messages (codes never change); default zh-hans",
)
PROBLEM_JSON = "application/problem+json"
# Anonymous use is allowed, but a token that is sent must be valid (a revoked one is not ignored).
BAD_TOKEN = OpenApiResponse(ProblemOut, description="An Authorization token was sent and is not valid")


class _CurrentRate:
    # DRF binds the rates table at import; read it per request so settings overrides apply.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class EligibilityAnonThrottle(_CurrentRate, AnonRateThrottle):
    scope = "eligibility_anon"


class EligibilityUserThrottle(_CurrentRate, UserRateThrottle):
    scope = "eligibility_user"

    def get_cache_key(self, request, view):
        # Signed-in clients only: DRF's UserRateThrottle would also count anonymous ones by address.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


def json_response(data: object, status: int = 200) -> HttpResponse:
    body = orjson.dumps(data)
    response = HttpResponse(body, status=status, content_type="application/json")
    response["X-Rules-Version"] = RULES_VERSION
    return response


def read_json(request) -> object:
    """The request body as JSON, or a 400 naming `body`. Any content type is read as JSON."""
    try:
        raw = request._request.body
    except RequestDataTooBig:
        raise DomainError(400, "body too large", [{"field": "body", "code": "too_large"}]) from None
    except RawPostDataException:  # a multipart form was already parsed: not JSON
        raise DomainError(400, "invalid JSON", [{"field": "body", "code": "invalid_json"}]) from None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or absurd nesting
        raise DomainError(400, "invalid JSON", [{"field": "body", "code": "invalid_json"}]) from None
    problem = _unfit(data)
    if problem:
        raise DomainError(400, "invalid JSON", [{"field": "body", "code": problem}])
    return data


MAX_DEPTH = 16  # the facts are 3 levels deep; nothing we take needs more


def _unfit(data: object) -> str | None:
    """What no body we accept contains: NUL characters (PostgreSQL cannot store them) or nesting
    deeper than MAX_DEPTH (copying it would exhaust the stack). Iterative, so any depth is safe."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "too_deep"
        if isinstance(value, str):
            if "\x00" in value:
                return "invalid_character"
        elif isinstance(value, dict):
            stack.extend((k, depth) for k in value)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


def read_optional_json(request, allowed: tuple[str, ...]) -> dict:
    """An optional JSON object body (whatever its Content-Type says) with only `allowed` keys. An
    empty body, or an empty form (what many clients send for a bare POST), is {}."""
    if request._request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if not request._request.POST and not request._request.FILES:
            return {}
        raise DomainError(400, "invalid body", [{"field": "body", "code": "invalid_json"}])
    if not request.body.strip():
        return {}
    body = read_json(request)
    if not isinstance(body, dict):
        raise DomainError(400, "invalid body", [{"field": "body", "code": "not_an_object"}])
    unknown = [{"field": str(k), "code": "unknown_field"} for k in body if k not in allowed]
    if unknown:
        raise DomainError(400, "invalid body", unknown)
    return body


def facts_from(request) -> Facts:
    try:
        return parse_facts(read_json(request))
    except FactsError as exc:
        raise DomainError(400, "invalid facts", exc.errors) from None


EXAMPLE_OUTCOME = serialize.evaluation(evaluate(parse_facts(EXAMPLE_FACTS), dt.date(2025, 3, 1)), "zh-hans")


class EligibilityView(APIView):
    throttle_classes = [EligibilityAnonThrottle, EligibilityUserThrottle]
    parser_classes = [JSONParser]  # documents the media type; the body is read by read_json

    @extend_schema(
        operation_id="eligibility",
        summary="Evaluate facts against the 20 measures",
        description=(
            "Scope and validity (第七部分) first, then all 20 measures in order. Anonymous use is "
            "throttled; an anonymous answer does not check the one-time rule of 第4条 and says so in "
            "`warnings`. The rules version is also sent as `X-Rules-Version`."
        ),
        request=Facts,
        parameters=[LANGUAGE_HEADER],
        responses={
            200: EligibilityOut,
            (400, PROBLEM_JSON): OpenApiResponse(ProblemOut, description="Bad input: one error per bad field"),
            (401, PROBLEM_JSON): BAD_TOKEN,
            (429, PROBLEM_JSON): OpenApiResponse(ProblemOut, description="Throttled; see Retry-After"),
        },
        examples=[
            OpenApiExample("A data centre in the park, tier 1", value=EXAMPLE_FACTS, request_only=True),
            OpenApiExample("Its outcome", value=EXAMPLE_OUTCOME, response_only=True, status_codes=["200"]),
        ],
    )
    def post(self, request):
        facts = facts_from(request)
        as_of = facts.as_of or timezone.localdate()
        # Signed-in clients get the one-time rule checked; anonymous answers do not reveal grants (§9).
        granted = None
        if request.user.is_authenticated:
            granted = project_already_granted(facts.project.code if facts.project else None)
        result = evaluate(facts, as_of, already_granted=granted)
        return json_response(serialize.evaluation(result, request.LANGUAGE_CODE))


def entry_dict(entry: catalogue.Entry, as_of) -> dict:
    m = entry.measure
    return {
        "number": m.number, "chapter": m.chapter,
        "chapter_title": entry.chapter_title, "chapter_title_en": entry.chapter_title_en,
        "title": m.title, "title_en": m.title_en, "kind": m.kind.value, "clause": m.clause,
        "text": entry.text, "text_en": entry.text_en,
        "parameters": catalogue.parameters_in_force(m.number, as_of),
    }


class MeasureListView(APIView):
    @extend_schema(operation_id="measures_list", summary="The measure catalogue",
                   responses={200: MeasureListOut, (401, PROBLEM_JSON): BAD_TOKEN})
    def get(self, request):
        today = timezone.localdate()
        zh, en = catalogue.legal_clauses(), catalogue.english_clauses()
        data = {
            "policy": catalogue.policy(today),
            "rules_version": RULES_VERSION,
            "scope_clause": {"clause": catalogue.SCOPE_CLAUSE, "text": zh[catalogue.SCOPE_CLAUSE],
                             "text_en": en[catalogue.SCOPE_CLAUSE]},
            "measures": [entry_dict(e, today) for e in catalogue.entries()],
        }
        return json_response(data)


class MeasureDetailView(APIView):
    @extend_schema(operation_id="measures_detail", summary="One measure",
                   responses={200: MeasureEntryOut, (401, PROBLEM_JSON): BAD_TOKEN,
                              (404, PROBLEM_JSON): ProblemOut})
    def get(self, request, number: str):
        entry = catalogue.entry(int(number))
        if entry is None:
            detail = _("There is no measure %(number)s: they are numbered 1 to 20.") % {"number": int(number)}
            raise DomainError(404, detail)
        return json_response(entry_dict(entry, timezone.localdate()))
