"""The policy's document number and dates for every page, read from the dated parameters."""

from django.utils import timezone

from measures import messages, parameters
from measures.labels import long_date


def policy(request):
    today = timezone.localdate()
    lang = messages.language(getattr(request, "LANGUAGE_CODE", None))
    return {
        "policy_document": parameters.value("policy.document", today),
        "policy_valid_from": long_date(parameters.value("policy.valid_from", today), lang),
        "policy_valid_to": long_date(parameters.value("policy.valid_to", today), lang),
    }
