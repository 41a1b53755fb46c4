"""URLconf for bench/load.py: the project's URLs plus `/bench/bare`, which returns a constant
`JsonResponse` without reading the body: what a request costs in Django before any work of ours."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from haidong_policy.urls import handler400, handler404, handler500  # noqa: F401 - Django reads them here
from haidong_policy.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare, name="bench-bare"), *project_urlpatterns]
