"""The real openai SDK against the OpenAI double, and requests against the Google double: the
curation services. Each failure mode must surface as the exception the product handles."""

import json

import openai
import pydantic
import pytest
import requests
from openai import OpenAI

from tests.fakes.catalog import Catalog
from tests.fakes.google import GoogleDouble
from tests.fakes.openai_server import UNKNOWN_ID_BASE, OpenAiDouble

KEY = "sk-test-openai"
MODEL = "gpt-4o-mini"
CANDIDATES = [(101, "Silent River", 1999), (102, "Iron Harbor", 2004),
              (103, "Glass Orchard", 2011), (104, "Quiet Signal", 2016),
              (105, "Lost Meadow", 2021)]


class Pick(pydantic.BaseModel):
    id: int
    reason: str


class Picks(pydantic.BaseModel):
    picks: list[Pick]


def prompt(n: int, candidates=CANDIDATES) -> str:
    lines = "\n".join(f"[id:{cid}] {title} ({year})" for cid, title, year in candidates)
    return f"The viewer loved The Crimson Verdict. Choose exactly {n} of these:\n{lines}"


def ask(client: OpenAI, n: int = 3):
    return client.chat.completions.parse(
        model=MODEL, response_format=Picks,
        messages=[{"role": "system", "content": "You curate films."},
                  {"role": "user", "content": prompt(n)}])


@pytest.fixture(scope="module")
def double():
    server = OpenAiDouble(api_key=KEY, delay=2.0).start()
    yield server
    server.stop()


@pytest.fixture
def ai(double):
    double.clear()
    return double


@pytest.fixture
def client(ai):
    return OpenAI(api_key=KEY, base_url=ai.base, max_retries=0, timeout=0.5)


def test_parse_picks_the_last_n_candidates_in_reverse(client, ai):
    answer = ask(client, 3)

    parsed = answer.choices[0].message.parsed
    assert [p.id for p in parsed.picks] == [105, 104, 103]
    assert parsed.picks[0].reason == "Shares the brooding tone"
    assert ai.count("POST", r"^/v1/chat/completions$") == 1


def test_parse_sends_a_strict_json_schema(client, ai):
    ask(client)

    fmt = ai.last_body["response_format"]
    assert (fmt["type"], fmt["json_schema"]["name"], fmt["json_schema"]["strict"]) == \
        ("json_schema", "Picks", True)
    assert ai.last_schema["required"] == ["picks"]
    assert "exactly 3" in ai.last_prompt


def test_plain_json_schema_dict_gets_the_same_json_content(client):
    schema = {"type": "object", "additionalProperties": False, "required": ["picks"],
              "properties": {"picks": {"type": "array", "items": {
                  "type": "object", "additionalProperties": False, "required": ["id", "reason"],
                  "properties": {"id": {"type": "integer"}, "reason": {"type": "string"}}}}}}

    answer = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": prompt(2)}],
        response_format={"type": "json_schema",
                         "json_schema": {"name": "picks", "strict": True, "schema": schema}})

    content = json.loads(answer.choices[0].message.content)
    assert [p["id"] for p in content["picks"]] == [105, 104]


def test_loose_strict_schema_is_refused_like_openai(client):
    schema = {"type": "object", "properties": {"picks": {"type": "array"}}}

    with pytest.raises(openai.BadRequestError, match="additionalProperties"):
        client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": prompt(2)}],
            response_format={"type": "json_schema",
                             "json_schema": {"name": "picks", "strict": True, "schema": schema}})


def test_garbage_mode_fails_pydantic_validation(client, ai):
    ai.mode = "garbage"

    with pytest.raises(pydantic.ValidationError, match="Invalid JSON"):
        ask(client)


def test_wrong_count_mode_returns_one_pick_fewer(client, ai):
    ai.mode = "wrong_count"

    picks = ask(client, 3).choices[0].message.parsed.picks

    assert [p.id for p in picks] == [105, 104]


def test_unknown_ids_mode_mixes_in_ids_never_offered(client, ai):
    ai.mode = "unknown_ids"

    picks = ask(client, 4).choices[0].message.parsed.picks

    assert [p.id for p in picks] == [105, UNKNOWN_ID_BASE + 1, 103, UNKNOWN_ID_BASE + 3]


def test_timeout_mode_raises_api_timeout_error(client, ai):
    ai.mode = "timeout"

    with pytest.raises(openai.APITimeoutError):
        ask(client)


def test_error500_mode_raises_internal_server_error(client, ai):
    ai.mode = "error500"

    with pytest.raises(openai.InternalServerError) as raised:
        ask(client)
    assert raised.value.type == "server_error"


def test_length_mode_raises_length_finish_reason_error(client, ai):
    ai.mode = "length"

    with pytest.raises(openai.LengthFinishReasonError) as raised:
        ask(client)
    assert raised.value.completion.choices[0].finish_reason == "length"


def test_refusal_mode_leaves_nothing_parsed(client, ai):
    ai.mode = "refusal"

    message = ask(client).choices[0].message

    assert (message.parsed, bool(message.refusal)) == (None, True)


def test_rate_limit_mode_raises_rate_limit_error(client, ai):
    ai.mode = "rate_limit"

    with pytest.raises(openai.RateLimitError) as raised:
        ask(client)
    assert raised.value.response.headers["retry-after"] == "1"


def test_queued_modes_apply_in_order_then_mode_returns(client, ai):
    ai.queue("error500", "garbage")

    with pytest.raises(openai.InternalServerError):
        ask(client)
    with pytest.raises(pydantic.ValidationError):
        ask(client)
    assert [p.id for p in ask(client, 1).choices[0].message.parsed.picks] == [105]


def test_wrong_key_raises_authentication_error(ai):
    client = OpenAI(api_key="sk-wrong-key", base_url=ai.base, max_retries=0, timeout=1)

    with pytest.raises(openai.AuthenticationError) as raised:
        ask(client)
    assert raised.value.code == "invalid_api_key"


def test_unknown_model_raises_not_found(client):
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client.chat.completions.create(model="gpt-0", messages=[{"role": "user",
                                                                  "content": "hi"}])


def test_models_list_names_the_served_models(client, ai):
    assert [m.id for m in client.models.list()] == ai.models


# Google Programmable Search ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalog():
    return Catalog(n_movies=300, n_shows=60)


@pytest.fixture(scope="module")
def google_server(catalog):
    server = GoogleDouble(catalog).start()
    yield server
    server.stop()


@pytest.fixture
def google(google_server):
    google_server.clear()
    return google_server


def search(google, q: str, **params):
    params = {"key": "google-key", "cx": "google-cx", "q": q, "num": 10} | params
    return requests.get(f"{google.url}/customsearch/v1", params=params, timeout=5)


def test_google_results_name_catalog_titles_with_imdb_links(google, catalog):
    seed = catalog.movies[0]

    items = search(google, f"movies like {seed.title}").json()["items"]

    title_links = [i["link"] for i in items if "/title/" in i["link"]]
    assert f"https://www.imdb.com/title/{seed.imdb_id}/" in title_links
    assert f"{seed.title} ({seed.year}) - IMDb" in [i["title"] for i in items]
    assert any("/list/ls" in i["link"] for i in items)  # noise the product must skip


def test_google_answers_are_deterministic_per_query(google):
    first = search(google, "quiet tense thriller").json()["items"]

    assert search(google, "quiet tense thriller").json()["items"] == first


def test_google_pages_with_start_and_drops_items_when_empty(google):
    page1 = search(google, "crimson", num=5).json()
    page2 = search(google, "crimson", num=5, start=6).json()
    past = search(google, "crimson", num=10, start=91).json()

    assert {i["link"] for i in page1["items"]}.isdisjoint(i["link"] for i in page2["items"])
    assert "items" not in past


def test_google_bad_key_is_400_with_error_body(google):
    answer = search(google, "anything", key="nope")

    assert (answer.status_code, answer.json()["error"]["message"]) == \
        (400, "API key not valid. Please pass a valid API key.")


def test_google_quota_switch_is_429(google):
    google.quota_exceeded = True

    answer = search(google, "anything")

    assert (answer.status_code, answer.json()["error"]["status"]) == (429, "RESOURCE_EXHAUSTED")


def test_google_num_over_ten_is_invalid_argument(google):
    answer = search(google, "anything", num=11)

    assert (answer.status_code, answer.json()["error"]["status"]) == (400, "INVALID_ARGUMENT")
