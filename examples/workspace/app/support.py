"""Support desk: renders prompts through the forge's HTTP API."""
import json
import urllib.parse
import urllib.request

FORGE = "http://localhost:7070"

# Missing the required `app_name` parameter: the editor flags it and offers a fix.
WELCOME = "prompt://localhost:7070/demo/welcome/staging?tier=free"

SUPPORT = "prompt://localhost:7070/demo/support-chat/production?product=Acme&customer_name=Ada&question=Where%20is%20my%20invoice%3F"


def render(uri: str, params: dict) -> dict:
    body = json.dumps({"uri": uri, "params": params}).encode()
    request = urllib.request.Request(f"{FORGE}/api/v1/render", body, {"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def answer(customer_name: str, question: str) -> list:
    # Params in the body override the URI's.
    return render(SUPPORT, {"customer_name": customer_name, "question": question})["messages"]


if __name__ == "__main__":
    print(render(WELCOME, {"app_name": "Acme"})["text"])
