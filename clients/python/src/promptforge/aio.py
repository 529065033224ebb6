"""``AsyncPromptClient``: the same client for asyncio apps. A cached get answers in the
event loop without a thread hop; a miss (a network call) runs in the default executor,
so the loop never blocks on the forge."""
import asyncio
import functools
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from .client import Prompt, PromptClient
from .usage import UsageStats


class AsyncPromptClient:
    """Takes the same options as :class:`PromptClient`; the same methods, awaitable where they may wait."""

    def __init__(self, *args: Any, **options: Any) -> None:
        self.sync = PromptClient(*args, **options)

    async def get(self, ref: str, /, *, unit: Optional[object] = None, params: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Prompt:
        # In memory: answered in the event loop's thread (a stale entry is refreshed in the background).
        found = self.sync.get_from_memory(ref, unit=unit, params=params, **kwargs)
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.sync.get, ref, unit=unit, params=params, **kwargs))

    async def render(self, ref: str, /, *, unit: Optional[object] = None, params: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> Union[str, List[Dict[str, str]]]:
        p = await self.get(ref, unit=unit, params=params, **kwargs)
        return p.text if p.text is not None else (p.messages or "")

    async def prefetch(self, refs: List[Union[str, Tuple[str, Mapping[str, Any]]]]) -> List[Tuple[str, Union[str, BaseException]]]:
        return await asyncio.get_running_loop().run_in_executor(None, self.sync.prefetch, refs)

    def record_usage(self, tracking_id: str, **report: Any) -> None:
        """Queues a usage report; never blocks or raises, so it needs no ``await``."""
        self.sync.record_usage(tracking_id, **report)

    async def flush_usage(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.sync.flush_usage)

    def usage_stats(self) -> UsageStats:
        return self.sync.usage_stats()

    def host_states(self) -> Dict[str, str]:
        return self.sync.host_states()

    def on_change(self, listener: Callable[[Prompt], None]) -> None:
        """``listener`` runs in a background thread; use ``loop.call_soon_threadsafe`` to reach the loop."""
        self.sync.on_change(listener)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.sync.close)

    async def __aenter__(self) -> "AsyncPromptClient":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
