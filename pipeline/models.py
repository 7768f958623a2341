"""Providers behind one resolver: ``local`` (embedded), ``openai:<model>``, other LangChain ``provider:model``.

Every provider is reached through a LangChain chat model; provider packages are imported lazily and a
missing one gives an install hint. Errors from the SDKs are turned into AmendsError subclasses here.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel

from . import config
from .errors import AmendsError, AuthError, EndpointError, ModelSpecError

#: Per-request timeout; the embedded model on 2 cores needs a while for a long judge answer.
REQUEST_TIMEOUT_S = 120.0
#: openai's own retry: exponential backoff with jitter on 429/5xx/timeouts, honouring Retry-After.
MAX_RETRIES = 3

_KEY_RE = re.compile(r"(sk-[A-Za-z0-9_\-*]{4,}|Bearer\s+\S+|api[_-]?key[=:]\s*\S+)", re.IGNORECASE)

# Providers that init_chat_model knows, with the package that brings each one.
_PROVIDER_PACKAGES = {
    "anthropic": "langchain-anthropic", "ollama": "langchain-ollama", "mistralai": "langchain-mistralai",
    "google_genai": "langchain-google-genai", "groq": "langchain-groq", "fireworks": "langchain-fireworks",
    "together": "langchain-together", "bedrock": "langchain-aws", "huggingface": "langchain-huggingface",
}


@dataclass
class ModelHandle:
    """A resolved model: the spec the user gave, a name for reports, and the LangChain chat model."""

    spec: str
    name: str
    chat: BaseChatModel
    base_url: str | None = None
    runnables: dict[Any, Any] = field(default_factory=dict, repr=False)  # built structured models, reused

    @property
    def is_local(self) -> bool:
        """True for the embedded model."""
        return self.spec == "local"


def redact(text: str) -> str:
    """Remove anything that looks like an API key or bearer token from a message."""
    text = _KEY_RE.sub("[redacted]", text)
    for var in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "MISTRAL_API_KEY", "GROQ_API_KEY"):
        secret = os.environ.get(var)
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return text


def _chat_openai(model: str, base_url: str | None, api_key: str, max_tokens: int | None = None) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    kwargs: dict[str, Any] = {
        "model": model, "api_key": api_key, "temperature": 0.0,
        "timeout": float(config.env("TIMEOUT", str(REQUEST_TIMEOUT_S))),
        "max_retries": int(config.env("MAX_RETRIES", str(MAX_RETRIES))), "seed": 0,
    }
    if base_url:
        kwargs["base_url"] = base_url
    if max_tokens:
        kwargs["max_tokens"] = max_tokens
    return ChatOpenAI(**kwargs)


def resolve_model(spec: str | None = None) -> ModelHandle:
    """Turn a model spec into a ModelHandle. ``None`` means AMENDS_MODEL or ``local``.

    ``local`` starts (or reuses) the embedded server; ``openai:<model>`` needs OPENAI_API_KEY unless
    OPENAI_BASE_URL points at another OpenAI-compatible server; ``provider:model`` uses LangChain's
    init_chat_model when the provider's package is installed.
    """
    spec = (spec or config.default_model()).strip()
    if spec == "local":
        from .local_server import LOCAL_MODEL_NAME, ensure_server

        url = ensure_server()
        return ModelHandle(spec="local", name=f"local:{LOCAL_MODEL_NAME}", base_url=url,
                           chat=_chat_openai(LOCAL_MODEL_NAME, url, "sk-local-no-key"))
    provider, sep, model = spec.partition(":")
    if not sep or not provider or not model:
        raise ModelSpecError(f"unknown model spec {spec!r}",
                             hint="use `local`, `openai:<model>` (e.g. openai:gpt-4o-mini) or `provider:model`")
    if provider == "openai":
        base_url = os.environ.get("OPENAI_BASE_URL") or None
        key = os.environ.get("OPENAI_API_KEY", "")
        if not key and not base_url:
            raise AuthError("OPENAI_API_KEY is not set",
                            hint="export OPENAI_API_KEY=…, or set OPENAI_BASE_URL for a keyless local server")
        chat = _chat_openai(model, base_url, key or "sk-none")
        return ModelHandle(spec=spec, name=spec, base_url=base_url, chat=chat)
    try:
        init_chat_model = importlib.import_module("langchain.chat_models").init_chat_model
    except ImportError:
        package = _PROVIDER_PACKAGES.get(provider, f"langchain-{provider}")
        raise ModelSpecError(f"provider {provider!r} needs LangChain's provider packages",
                             hint=f"run `pip install langchain {package}`") from None
    try:
        chat = init_chat_model(model, model_provider=provider, temperature=0.0)
    except ImportError:
        package = _PROVIDER_PACKAGES.get(provider, f"langchain-{provider}")
        raise ModelSpecError(f"provider {provider!r} is not installed", hint=f"run `pip install {package}`") from None
    except ValueError as exc:
        raise ModelSpecError(f"unknown model spec {spec!r}: {redact(str(exc).splitlines()[0])}",
                             hint="check the provider name") from None
    return ModelHandle(spec=spec, name=spec, chat=chat)


_KNOWN_ERRORS = (
    "AuthenticationError", "PermissionDeniedError", "APITimeoutError", "RateLimitError", "NotFoundError",
    "BadRequestError", "UnprocessableEntityError", "InternalServerError", "APIStatusError",
    "APIConnectionError", "OpenAIConnectionError", "ConnectError", "ConnectTimeout", "TimeoutException",
    "ReadTimeout", "TimeoutError",
)


def translate_error(exc: BaseException, handle: ModelHandle) -> AmendsError:
    """Turn an SDK or HTTP exception into an AmendsError with a one-line message and a fix."""
    if isinstance(exc, AmendsError):
        return exc
    names: set[str] = set()
    cur: BaseException | None = exc
    while cur is not None and len(names) < 8:  # wrappers (LangChain's, httpx's) hide the SDK error underneath
        names.add(type(cur).__name__)
        cur = cur.__cause__ or cur.__context__
    name = next((n for n in _KNOWN_ERRORS if n in names), type(exc).__name__)
    where = handle.base_url or handle.spec
    detail = redact(str(exc).splitlines()[0] if str(exc) else name)[:200]
    if name in ("AuthenticationError", "PermissionDeniedError"):
        return AuthError(f"{handle.spec}: the API key was refused ({detail})", hint="check OPENAI_API_KEY")
    if name in ("APIConnectionError", "OpenAIConnectionError", "ConnectError", "ConnectTimeout"):
        return EndpointError(f"could not reach {where}", hint="check the server is running and OPENAI_BASE_URL")
    if name in ("APITimeoutError", "TimeoutException", "ReadTimeout", "TimeoutError"):
        return EndpointError(f"{where} did not answer in time", hint="retry, or use a smaller --max-rounds")
    if name == "NotFoundError":
        return ModelSpecError(f"{handle.spec}: model not found at {where}", hint="check the model name")
    if name == "RateLimitError":
        return EndpointError(f"{where} is rate limiting requests ({detail})", hint="retry later or lower --concurrency")
    if name in ("APIStatusError", "InternalServerError", "BadRequestError", "UnprocessableEntityError"):
        return EndpointError(f"{where} answered with an error: {detail}", hint="set AMENDS_DEBUG=1 for details")
    return EndpointError(f"{handle.spec}: {name}: {detail}", hint="set AMENDS_DEBUG=1 for details")
