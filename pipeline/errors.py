"""One exception base for amends; every subclass carries the context the CLI needs for a one-line message."""

from __future__ import annotations


class AmendsError(Exception):
    """Base of every error amends raises on purpose. ``str(err)`` is the one-line message; ``hint`` names the fix."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """The message and its fix on one line, as the CLI prints it."""
        return f"{self.message} — {self.hint}" if self.hint else self.message


class InputError(AmendsError):
    """The user's input (summary, message, facts file) is unusable."""

    def __init__(self, message: str, *, hint: str = "", source: str = "") -> None:
        super().__init__(f"{source}: {message}" if source else message, hint=hint)
        self.source = source


class FactsError(InputError):
    """The facts file is malformed."""


class PromptError(AmendsError):
    """A prompt or rubric file is missing, malformed, or a template variable is missing."""


class ModelSpecError(AmendsError):
    """The --model spec is unknown or its provider package is not installed."""


class AuthError(AmendsError):
    """A provider needs an API key that is not set or was refused."""


class EndpointError(AmendsError):
    """The model endpoint could not be reached or answered with an error."""


class LocalModelError(AmendsError):
    """The embedded model server failed to start or died."""


class StructuredOutputError(AmendsError):
    """The model did not return valid structured output after the retries."""
