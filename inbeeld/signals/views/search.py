"""The search page: within the signals the user may already see, audited as a read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from inbeeld.accounts.access import staff_user_of
from inbeeld.accounts.decorators import permission_required
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.signals import search as signal_search
from inbeeld.signals.forms import SearchForm


@permission_required("signals.search_signals")
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    """Show the matches; each shown signal is a read, audited without the term itself."""
    user = staff_user_of(request)
    form = SearchForm(request.GET or None, user=user)
    result = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        municipality = form.cleaned_data["municipality"]
        term = form.cleaned_data["q"]
        result = signal_search.signals_search(
            user=user,
            term=term,
            municipality_id=municipality.pk if municipality else None,
            status=form.cleaned_data["status"],
        )
        if result.signals:
            audit_record_reads(
                actor=user,
                records=result.signals,
                purpose=Purpose.SIGNAL_SEARCH,
                detail={"term_digest": signal_search.search_term_digest(term)},
            )
    context = {
        "form": form,
        "result": result,
        "rows": [(signal, result.labels(signal)) for signal in result.signals] if result else [],
        "text_candidates": signal_search.TEXT_CANDIDATES,
        "max_results": signal_search.MAX_RESULTS,
    }
    return render(request, "signals/search.html", context)
