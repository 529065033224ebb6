"""Typed errors of the Python client. Apps branch on the class or on ``code``, the same
stable machine word the forge and the TypeScript SDK use (``invalid_uri``,
``version_not_found``, ``missing_param``…); the message names the reference and the problem."""
from typing import List, Optional


class PromptForgeError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ForgeApiError(PromptForgeError):
    """The forge answered with an error (``{"error": {"code", "message"}}``)."""

    def __init__(self, status: int, code: str, message: str, request: str) -> None:
        super().__init__(code, message)
        self.status = status
        self.request = request


class ForgeUnreachable(PromptForgeError):
    """The forge could not be reached, or did not answer in time."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__("unreachable", "forge at %s is unreachable (%s)" % (url, reason))
        self.url = url
        self.reason = reason


class InvalidUri(PromptForgeError):
    """The reference is not a valid prompt URI, short reference or alias (or names an unknown host)."""

    def __init__(self, ref: str, detail: str, code: str = "invalid_uri") -> None:
        super().__init__(code, 'invalid prompt reference "%s": %s' % (ref, detail))
        self.ref = ref


class UnknownPrompt(PromptForgeError):
    """The repo, prompt or version does not exist (``prompt_not_found``, ``version_not_found``…)."""

    def __init__(self, uri: str, detail: str, code: str = "not_found") -> None:
        super().__init__(code, "%s: %s" % (uri, detail))
        self.uri = uri


class ParamError(PromptForgeError):
    """Params are missing, unknown or of the wrong type; ``param`` names the one to blame."""

    def __init__(self, uri: str, detail: str, code: str = "invalid_params", param: Optional[str] = None) -> None:
        super().__init__(code, "%s: %s" % (uri, detail))
        self.uri = uri
        self.param = param


class MissingParam(ParamError):
    """A required param was not given (``missing_param``)."""


class UnknownParam(ParamError):
    """A param the prompt does not declare (``unknown_param``)."""


class InvalidParamValue(ParamError):
    """A param of the wrong type or outside its ``enum`` (``invalid_param_value``)."""


class TemplateError(PromptForgeError):
    """The template itself cannot render (an unknown partial, a cycle, a broken tag)."""


class PromptUnavailable(PromptForgeError):
    """Nothing could supply the prompt: the message lists every source tried and why it failed."""

    def __init__(self, uri: str, tried: List[str]) -> None:
        super().__init__("unavailable", "%s is unavailable; tried %s" % (uri, "; ".join(tried)))
        self.uri = uri
        self.tried = tried


def param_error(uri: str, detail: str, code: str, param: Optional[str] = None) -> ParamError:
    cls = {"missing_param": MissingParam, "unknown_param": UnknownParam, "invalid_param_value": InvalidParamValue}.get(code, ParamError)
    return cls(uri, detail, code, param)


def definite_error(error: PromptForgeError, uri: str) -> Optional[PromptForgeError]:
    """The forge's definite answers (not found, bad reference, bad params) as typed errors; None for outages."""
    if isinstance(error, (UnknownPrompt, InvalidUri, ParamError)):
        return error
    if not isinstance(error, ForgeApiError):
        return None
    if error.status == 404:
        return UnknownPrompt(uri, error.message, error.code)
    if error.status == 422 or "param" in error.code:
        return param_error(uri, error.message, error.code)
    if error.status in (400, 409):
        return InvalidUri(uri, error.message, error.code)
    return None


def reason_of(error: BaseException) -> str:
    if isinstance(error, ForgeApiError):
        return "HTTP %d %s: %s" % (error.status, error.code, error.message)
    return getattr(error, "reason", None) or str(error)
