"""Errors a service raises when a request cannot be carried out; the message is shown to the person."""


class ServiceError(Exception):
    """Refused change; ``message`` is translated and safe to show, and ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
