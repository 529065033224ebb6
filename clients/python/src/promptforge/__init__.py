"""Prompt Forge's Python client: fetch versioned prompts by URI or short reference, from
memory when possible, with live promotions, fallbacks when the forge is down, usage
reporting and experiment assignment. Standard library only.

    from promptforge import PromptClient
    forge = PromptClient(hosts={"localhost:7070": {"url": "http://localhost:7070"}},
                         defaults={"host": "localhost:7070", "repo": "demo"})
    p = forge.get("welcome:production", app_name="Acme")
"""
from .aio import AsyncPromptClient
from .breaker import BreakerOptions
from .client import Prompt, PromptClient
from .errors import (
    ForgeApiError,
    ForgeUnreachable,
    InvalidParamValue,
    InvalidUri,
    MissingParam,
    ParamError,
    PromptForgeError,
    PromptUnavailable,
    TemplateError,
    UnknownParam,
    UnknownPrompt,
)
from .usage import UsageOptions, UsageStats

__version__ = "0.1.0"
__all__ = [
    "AsyncPromptClient", "BreakerOptions", "ForgeApiError", "ForgeUnreachable", "InvalidParamValue", "InvalidUri", "MissingParam", "ParamError",
    "Prompt", "PromptClient", "PromptForgeError", "PromptUnavailable", "TemplateError", "UnknownParam", "UnknownPrompt", "UsageOptions", "UsageStats",
]
