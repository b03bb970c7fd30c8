"""The application's routes plus one that fails, to check what a server error leaves in the log."""

from django.urls import path

from mingdan.web.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise ValueError(f"cannot read {request.GET.get('q', '')}")  # an exception whose text holds what was typed


urlpatterns = [*urlpatterns, path("fails", fails)]
