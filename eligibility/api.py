"""API views of the rules: one per operation, thin. Errors are problem+json (kernel.problems)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import JSONParser
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from applications.selectors import project_already_granted
from eligibility.schemas import (
    EligibilityOut,
    MeasureEntryOut,
    MeasureListOut,
    ParameterHistoryOut,
    ParameterListOut,
)
from kernel.errors import Invalid, NotFound
from kernel.http import json_response, read_json
from kernel.problems import BAD_TOKEN, PROBLEM_JSON
from kernel.schemas import ProblemOut
from kernel.throttling import CurrentRate
from measures import catalogue, parameters, serialize
from measures.engine import evaluate
from measures.examples import EXAMPLE_FACTS
from measures.facts import Facts, FactsError, parse_facts
from measures.version import RULES_VERSION

LANGUAGE_HEADER = OpenApiParameter(
    "Accept-Language", str, OpenApiParameter.HEADER, enum=["zh-hans", "en"],
    description="Language of messages (codes never change); default zh-hans",
)


class EligibilityAnonThrottle(CurrentRate, AnonRateThrottle):
    scope = "eligibility_anon"


class EligibilityUserThrottle(CurrentRate, UserRateThrottle):
    scope = "eligibility_user"

    def get_cache_key(self, request, view):
        # Signed-in clients only: DRF's UserRateThrottle would also count anonymous ones by address.
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)


def facts_from(request) -> Facts:
    try:
        return parse_facts(read_json(request))
    except FactsError as exc:
        raise Invalid(exc.errors, "invalid facts") from None


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
            # The outcome's example is evaluated when the schema is built (haidong_policy.openapi).
        ],
    )
    def post(self, request):
        return eligibility_answer(request)


def eligibility_answer(request):
    """The outcome for the facts in the request's body; the DRF view's and the anonymous short path's
    (haidong_policy.fastpath). `Invalid` names a bad field."""
    facts = facts_from(request)
    as_of = facts.as_of or timezone.localdate()
    # Signed-in clients get the one-time rule checked; anonymous answers do not reveal grants (§9).
    granted = None
    if request.user.is_authenticated:
        granted = project_already_granted(facts.project.code if facts.project else None)
    return json_response(outcome(facts, as_of, granted, request.LANGUAGE_CODE))


def outcome(facts: Facts, as_of, granted: bool | None, lang: str) -> dict:
    """The §4 JSON of the facts on `as_of`: the API's answer (also the short path's, fastpath.py)."""
    return serialize.evaluation(evaluate(facts, as_of, already_granted=granted), lang)


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
            raise NotFound(detail)
        return json_response(entry_dict(entry, timezone.localdate()))


def parameter_history(param: parameters.Parameter) -> dict:
    return {"name": param.name, "description": param.description, "reference": param.reference, "unit": param.unit,
            "values": [{"valid_from": d.isoformat(), "value": serialize.plain(v)} for d, v in param.values]}


class ParameterListView(APIView):
    @extend_schema(operation_id="parameters_list", summary="Every dated parameter, with its values and references",
                   responses={200: ParameterListOut, (401, PROBLEM_JSON): BAD_TOKEN})
    def get(self, request):
        return json_response({"parameters": [parameter_history(p) for p in parameters.all_parameters().values()]})


class ParameterDetailView(APIView):
    @extend_schema(operation_id="parameters_detail", summary="One parameter with its history",
                   responses={200: ParameterHistoryOut, (401, PROBLEM_JSON): BAD_TOKEN,
                              (404, PROBLEM_JSON): ProblemOut})
    def get(self, request, name: str):
        param = parameters.all_parameters().get(name)
        if param is None:
            raise NotFound(_("There is no parameter %(name)s.") % {"name": name})
        return json_response(parameter_history(param))
