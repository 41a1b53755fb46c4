"""Pages of long lists that never count the whole list (issue 15): counting 100,000 queue rows for
every page cost more than the page. The count is exact up to COUNT_CAP rows (or up to the page asked
for, when deeper); beyond, it is a lower bound, and the answer says so (`exact`; the header
`X-Count-Exact: false` on the API). The envelope stays `{"count","next","previous","results"}`."""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Django's Paginator counting at most `limit` + 1 rows (SELECT COUNT(*) FROM (… LIMIT n)): enough
    to know whether the page asked for and the one after it exist."""

    def __init__(self, object_list, per_page, *, page: int = 1, fetch=None, **kwargs):
        """`fetch(keys)`: the rows of those keys, read whole (default: the list filtered by them)."""
        super().__init__(object_list, per_page, **kwargs)
        self.limit = max(COUNT_CAP, page * per_page)
        self.fetch = fetch

    @cached_property
    def count(self) -> int:
        """Exact when `exact`; otherwise a lower bound: there are at least this many. Counted on the
        rows' keys alone and in no order (the list's joins, subqueries and sort are not needed for it):
        the database stops at the cap, often within an index."""
        rows = self.object_list
        if hasattr(rows, "values"):
            rows = rows.order_by().values("pk")
        return rows[: self.limit + 1].count()

    def page(self, number):
        """The page's rows found by their keys first (the sort and OFFSET over the index alone), then
        read whole with their joins and subqueries: a deep page no longer computes them for every
        row it skips."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if not hasattr(rows, "values_list"):
            return super().page(number)
        keys = list(rows.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        found = {row.pk: row for row in (self.fetch(keys) if self.fetch else rows.filter(pk__in=keys))}
        return self._get_page([found[key] for key in keys if key in found], number, self)

    @property
    def exact(self) -> bool:
        return self.count <= self.limit


class CappedPagination(PageNumberPagination):
    """DRF's page-number pagination over a CappedPaginator."""

    def paginate_queryset(self, queryset, request, view=None, fetch=None):
        try:
            page = max(1, int(request.query_params.get(self.page_query_param, 1)))
        except (TypeError, ValueError):
            page = 1  # DRF answers a bad page number itself (404)
        self.django_paginator_class = functools.partial(CappedPaginator, page=page, fetch=fetch)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response["X-Count-Exact"] = "true" if self.page.paginator.exact else "false"
        return response
