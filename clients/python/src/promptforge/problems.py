"""A problem found in text: a stable code, a message, and the range it covers."""
from typing import NamedTuple


class Problem(NamedTuple):
    code: str
    message: str
    start: int
    end: int
