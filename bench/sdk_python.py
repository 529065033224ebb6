"""Python client: a cached get against its floor, a dict lookup plus str.format of the same
text, measured in one run with interleaved rounds (medians). Run by sdk-python.bench.ts,
which starts the forge: python3 bench/sdk_python.py FORGE_URL."""
import statistics
import sys
import time

from promptforge import PromptClient

url = sys.argv[1]
host = url.split("://", 1)[1]
client = PromptClient(hosts={host: {"url": url}}, defaults={"host": host, "repo": "demo"}, usage=False)
prompt = client.get("welcome:production", app_name="Acme")
assert client.get("welcome:production", app_name="Acme").source == "cache"

# The floor renders the very same text: the rendered prompt with each value made a slot.
values = prompt.params
template = prompt.text.replace("{", "{{").replace("}", "}}")
for name in sorted(values, key=lambda n: -len(str(values[n]))):
    template = template.replace(str(values[name]), "{%s}" % name)
floor_templates = {"welcome": template}
assert floor_templates["welcome"].format(**values) == prompt.text


def cached_get() -> object:
    return client.get("welcome:production", app_name="Acme")


def floor() -> object:
    return floor_templates["welcome"].format(app_name="Acme", tier="free", user_name="there")


def ns_per_call(fn, n: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - start) / n


N, ROUNDS = 20000, 9
rounds = {"get": [], "floor": []}
for r in range(-1, ROUNDS):
    g, f = ns_per_call(cached_get, N), ns_per_call(floor, N)
    if r >= 0:
        rounds["get"].append(g)
        rounds["floor"].append(f)
get_ns, floor_ns = statistics.median(rounds["get"]), statistics.median(rounds["floor"])
client.close()
print("python %s, %d calls x %d rounds (median)" % (sys.version.split()[0], N, ROUNDS))
print("  cached get (lookup + compiled render + answer)  %8.2f us" % (get_ns / 1000))
print("  floor: dict lookup + str.format, same text      %8.2f us" % (floor_ns / 1000))
print("  ratio                                            %8.1f x" % (get_ns / floor_ns))
