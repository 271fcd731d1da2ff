"""A stored file given to the browser: streamed from storage chunk by chunk (with S3 the object's body passes
through, never whole in memory, and the browser never needs to reach the bucket), always an attachment of an opaque
type, so an uploaded page or script never runs in our origin."""

from __future__ import annotations

from django.http import FileResponse, Http404

from kontora.core.services.storage import stored_open


def stored_attachment(name: str, filename: str) -> FileResponse:
    """The stored file `name`, downloaded as `filename`; 404 when storage no longer has it."""
    try:
        stored = stored_open(name)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stored.stream, as_attachment=True, filename=filename,
                            content_type="application/octet-stream")
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
