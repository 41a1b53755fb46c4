"""drf-spectacular hooks."""


def strip_trailing_slash(endpoints, **kwargs):
    """Our API paths take an optional trailing slash (`/?$`); document them without it."""
    return [(path.rstrip("/") or "/", regex, method, callback) for path, regex, method, callback in endpoints]


def eligibility_example(result, generator, request, public):
    """The worked example's outcome on POST /api/v1/eligibility, evaluated when the schema is built
    (never at import): it always shows what the rules in force answer."""
    import datetime as dt

    from measures import serialize
    from measures.engine import evaluate
    from measures.examples import EXAMPLE_FACTS
    from measures.facts import parse_facts

    operation = result.get("paths", {}).get("/api/v1/eligibility", {}).get("post")
    if operation is None:
        return result
    outcome = serialize.evaluation(evaluate(parse_facts(EXAMPLE_FACTS), dt.date(2025, 3, 1)), "zh-hans")
    content = operation["responses"]["200"]["content"]["application/json"]
    content["examples"] = {"ItsOutcome": {"value": outcome, "summary": "Its outcome"}}
    return result
