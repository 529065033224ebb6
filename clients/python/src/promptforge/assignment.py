"""Experiment variant assignment (DESIGN §7), as core/experiments/assign.ts: GrowthBook's v2 hash,
so a unit gets the same variant here as in the TypeScript SDK and on the forge."""
import math
from typing import Any, List, Mapping, Sequence, Tuple



def fnv1a32(text: str) -> int:
    """FNV-1a, 32 bits, over UTF-16 code units (as GrowthBook's JavaScript SDK hashes)."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def hash_v2(seed: str, unit: str) -> float:
    """A number in [0, 1) with 4 decimals, sticky for (seed, unit)."""
    return (fnv1a32(str(fnv1a32(seed + unit))) % 10000) / 10000


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == x and x not in (float("inf"), float("-inf"))


def variation_weights(variant_weights: Sequence[float]) -> List[float]:
    """Weights of the variations, control first: the control takes what the variants leave."""
    rest = 1 - sum(variant_weights)
    # As JavaScript's Math.round (half up), not Python's round (half to even).
    return [max(0.0, math.floor(rest * 1e9 + 0.5) / 1e9), *variant_weights]


def bucket_ranges(variants: Sequence[Mapping[str, Any]], coverage: float) -> List[Tuple[float, float]]:
    """Cumulative ``[start, start + coverage·weight)`` per variation, control first; ``start``
    does not depend on coverage, so raising it keeps enrolled units in place."""
    cov = min(1.0, max(0.0, coverage if _finite(coverage) else 0.0))
    weights = [w if _finite(w) and w > 0 else 0 for w in (v.get("weight") for v in variants)]
    start = 0.0
    ranges: List[Tuple[float, float]] = []
    for w in variation_weights(weights):
        ranges.append((start, start + cov * w))
        start += w
    return ranges


def assign_variant(definition: Mapping[str, Any], unit: str) -> int:
    """0 for the control, i >= 1 for ``definition["variants"][i - 1]``, -1 outside the
    experiment (served the control, not counted): GrowthBook's choice of variation."""
    n = hash_v2(str(definition.get("seed", "")), unit)
    for i, (low, high) in enumerate(bucket_ranges(definition.get("variants") or [], definition.get("coverage", 0))):
        if low <= n < high:
            return i
    return -1


__all__ = ["fnv1a32", "hash_v2", "variation_weights", "bucket_ranges", "assign_variant"]
