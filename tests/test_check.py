"""`dlcompare check`: against a real HTTP server on 127.0.0.1 (tests/local_server.py) serving
recorded package index answers, pages, and every failure the command must survive. Nothing
here reaches the internet."""

from __future__ import annotations

import csv
import io
import json
import socket
import ssl
from pathlib import Path

import pytest

from dlcompare import check as run
from dlcompare import web
from dlcompare.package_index import parse

from .local_server import (
    PROXY_VARIABLES,
    LocalServer,
    Reply,
    index_answer,
    json_reply,
    local_opener,
    local_server,
    recorded,
)

DAY = "2026-12-20"
LATER = "2027-05-01"
PAST = "2026-11-01"
"""Before the day the tests pin (an upload after tomorrow is not believed)."""

CRITERIA = """
criteria:
  - {id: interfaces, name: Interfaces, description: How you write models.}
  - {id: speed, name: Speed, description: How fast it trains.}
"""


def own_folder(root: Path, toolkits: dict[str, str]) -> Path:
    """A data folder of its own (used with --no-bundled): two criteria, one edition."""
    folder = root / "own"
    (folder / "toolkits").mkdir(parents=True)
    (folder / "criteria.yaml").write_text(CRITERIA)
    (folder / "editions.yaml").write_text(
        f"editions:\n  - {{date: {DAY}, evaluator: Team A, summary: Ours.}}\n"
    )
    for name, text in toolkits.items():
        (folder / "toolkits" / f"{name}.yaml").write_text(text)
    return folder


def toolkit(
    ident: str,
    packages: str,
    *,
    state: str = "active",
    extra: str = "",
    version: str = "2.5.0",
    sources: str = "[]",
) -> str:
    return f"""
id: {ident}
name: {ident.title()}
packages: {packages}
status:
  state: {state}
  source: https://example.org/{ident}
  note: Released often.
  checked: {DAY}
{extra}
ratings:
  interfaces:
    {DAY}:
      score: 4
      summary: Python first.
      version: "{version}"
      sources: {sources}
"""


PADDLE_RELEASES = {
    "2.4.0": "2026-06-01",
    "2.5.0": "2026-10-01",
    "2.5.1": "2026-12-10",
    "2.6.0rc1": "2027-01-05",
    "2.6.0": "2027-01-20",
    "3.0.0": "2027-04-02",
    "3.0.1": "2027-04-20",
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """The local server as the package index; no proxy in the way; no waiting between tries
    (each wait is recorded in `server.sleeps`)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with local_server() as found:
        found.sleeps = []  # type: ignore[attr-defined]
        monkeypatch.setenv("DLCOMPARE_INDEX_URL", f"{found.url}/pypi")
        monkeypatch.setattr(
            run,
            "new_client",
            lambda timeout: web.Client(timeout=timeout, sleep=found.sleeps.append),  # type: ignore[attr-defined]
        )
        yield found


def paddle_index(server: LocalServer) -> None:
    server.routes["/pypi/paddle/json"] = index_answer(
        "3.0.1", PADDLE_RELEASES, yanked=frozenset({"3.0.1"})
    )


def findings(out: str) -> dict[str, list[tuple[str, str]]]:
    report = json.loads(out)
    return {t["id"]: [(f["kind"], f["message"]) for f in t["findings"]] for t in report["toolkits"]}


def test_a_toolkit_behind_an_ended_one_releasing_and_an_unknown_package(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", LATER)
    paddle_index(server)
    server.routes["/pypi/chainer/json"] = recorded("chainer")
    folder = own_folder(
        tmp_path,
        {
            "paddle": toolkit("paddle", "[paddle]"),
            "chainer": toolkit("chainer", "[chainer]", state="ended", extra="").replace(
                "  state: ended\n", "  state: ended\n  date: 2019-12-05\n"
            ),
            "ghost": toolkit("ghost", "[no-such-package]"),
        },
    )
    result = cli("check", "--no-bundled", "--data", str(folder), "-f", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert report["schema_version"] >= 1 and report["index"] == f"{server.url}/pypi"
    found = findings(result.out)
    assert found["paddle"] == [
        (
            "new-release",
            "paddle: rated on 2.5.0; since then 2.5.1 (2026-12-10), 2.6.0 (2027-01-20), "
            "3.0.0 (2027-04-02) (1 major, 1 minor, 1 patch)",
        )
    ]  # no pre-release, no yanked release
    paddle = next(t for t in report["toolkits"] if t["id"] == "paddle")
    assert paddle["packages"] == [
        {"name": "paddle", "latest_version": "3.0.1", "latest_date": "2027-04-20"}
    ]
    assert paddle["rated_version"] == "2.5.0"
    (kind, message), *rest = found["chainer"]
    assert kind == "released-after-end" and not rest
    assert message.startswith("ended since 2019-12-05, but chainer released ")
    assert "7.8.1 (2022-01-05)" in message
    assert found["ghost"] == [
        ("unreachable", "no-such-package: the index does not know this package (HTTP 404)")
    ]
    table = cli("check", "--no-bundled", "--data", str(folder))
    assert table.code == 1
    text = " ".join(table.out.split())
    for piece in ("new-release", "released-after-end", "unreachable", "3 of 3 toolkit(s) moved"):
        assert piece in text


def test_nothing_moved_exits_0(cli, server: LocalServer, tmp_path: Path) -> None:
    paddle_index(server)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]", version="3.0.0")})
    result = cli("check", "--no-bundled", "--data", str(folder))
    assert (result.code, result.err) == (0, "")
    assert "Nothing moved." in result.out
    assert findings(cli("check", "--no-bundled", "--data", str(folder), "-f", "json").out) == {
        "paddle": []
    }


def test_without_a_version_releases_count_from_the_edition(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", LATER)
    paddle_index(server)
    text = toolkit("paddle", "[paddle]").replace('      version: "2.5.0"\n', "")
    folder = own_folder(tmp_path, {"paddle": text})
    found = findings(cli("check", "--no-bundled", "--data", str(folder), "-f", "json").out)
    assert found["paddle"] == [
        (
            "new-release",
            f"paddle: no rating of the {DAY} edition names a version; since then "
            "2.6.0 (2027-01-20), 3.0.0 (2027-04-02) (1 major, 1 minor, 0 patch)",
        )
    ]


def test_an_active_project_without_a_release_for_a_year_and_a_stale_status(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", "2028-06-01")
    paddle_index(server)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]", version="3.0.0")})
    found = findings(cli("check", "--no-bundled", "--data", str(folder), "-f", "json").out)
    assert found["paddle"] == [
        (
            "inactive",
            "status active, but no release for over 12 months (last: 3.0.0 (2027-04-02))",
        ),
        ("status-stale", f"status last checked {DAY}, 529 days ago (more than 180)"),
    ]
    longer = cli("check", "--no-bundled", "--data", str(folder), "--stale-after", "600")
    assert "status-stale" not in longer.out


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(500, b"oops"), "paddle: the index answered HTTP 500"),
        (
            Reply(body=b"{not json"),
            "paddle: the index's answer is malformed (the answer is not JSON)",
        ),
        (
            json_reply([1, 2]),
            "paddle: the index's answer is malformed (the answer is not a JSON object)",
        ),
        (
            json_reply({"info": {"version": "1.0\x1b[2J\x1b]0;pwned\x07"}, "releases": {}}),
            "paddle: the index's answer is malformed (its info.version is not a version)",
        ),
        (
            Reply(body=b"{}", headers={"Content-Length": str(50 * 1024 * 1024)}),
            "paddle: the index could not be read (too-large: answer of 52,428,800 bytes "
            "(limit 8,388,608))",
        ),
        (
            Reply(stream=50 * 1024 * 1024),
            "paddle: the index could not be read (too-large: answer larger than 8,388,608 bytes)",
        ),
        (
            Reply(302, headers={"Location": "/pypi/paddle/json"}),
            "paddle: the index could not be read (redirect-loop: redirects in a loop (or too many))",
        ),
    ],
    ids=[
        "500",
        "not json",
        "not an object",
        "escape codes",
        "50 MB declared",
        "50 MB streamed",
        "redirect loop",
    ],
)
def test_what_cannot_be_read_is_reported_and_the_rest_checked(
    cli, server: LocalServer, tmp_path: Path, reply: Reply, message: str
) -> None:
    server.routes["/pypi/paddle/json"] = reply
    server.routes["/pypi/other/json"] = index_answer("1.0", {"1.0": "2026-01-01"})
    folder = own_folder(
        tmp_path,
        {
            "paddle": toolkit("paddle", "[paddle]"),
            "other": toolkit("other", "[other]", version="1.0"),
        },
    )
    result = cli("check", "--no-bundled", "--data", str(folder), "-f", "json")
    assert result.code == 1 and result.err == ""
    found = findings(result.out)
    assert found == {"other": [], "paddle": [("unreachable", message)]}
    table = cli("check", "--no-bundled", "--data", str(folder))
    assert "\x1b" not in table.out and "\x07" not in table.out and "pwned" not in table.out


def test_escape_codes_in_a_release_are_left_out(cli, server: LocalServer, tmp_path: Path) -> None:
    answer = json.loads(index_answer("2.6.0", {"2.5.0": DAY, "2.6.0": DAY}).body)
    answer["releases"]["2.7\x1b[31m"] = answer["releases"]["2.6.0"]
    answer["releases"]["2.8"] = [{"upload_time_iso_8601": "9999-99-99T00:00:00Z"}]
    answer["releases"]["2.9"] = [{"upload_time_iso_8601": "2199-01-01T00:00:00Z"}]
    server.routes["/pypi/paddle/json"] = json_reply(answer)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    for fmt in ("json", "table", "markdown", "csv"):
        result = cli("check", "--no-bundled", "--data", str(folder), "-f", fmt)
        assert result.code == 1
        assert "\x1b" not in result.out and "2.7" not in result.out and "2.9" not in result.out
    released = parse("paddle", server.routes["/pypi/paddle/json"].body, dt_day(DAY))  # type: ignore[union-attr]
    assert [r.text for r in released.releases] == ["2.5.0", "2.6.0"] and released.left_out == 3


def dt_day(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_429_then_200_is_retried_with_backoff(cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/pypi/paddle/json"] = [
        Reply(429, headers={"Retry-After": "2"}),
        Reply(503),
        index_answer("2.5.0", {"2.5.0": PAST}),
    ]
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    result = cli("check", "--no-bundled", "--data", str(folder), "-f", "json")
    assert (result.code, findings(result.out)) == (0, {"paddle": []})
    assert server.sleeps == [2.0, 2.0]  # type: ignore[attr-defined]  # Retry-After, then 1 s doubled
    asked = [path for _, _, path in server.seen if path == "/pypi/paddle/json"]
    assert len(asked) == 3


def test_retries_are_bounded(cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/pypi/paddle/json"] = Reply(503)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    found = findings(cli("check", "--no-bundled", "--data", str(folder), "-f", "json").out)
    assert found["paddle"] == [("unreachable", "paddle: the index answered HTTP 503 after 4 tries")]
    assert server.sleeps == [1.0, 2.0, 4.0]  # type: ignore[attr-defined]


def test_a_server_that_never_answers_times_out(cli, server: LocalServer, tmp_path: Path) -> None:
    server.routes["/pypi/paddle/json"] = Reply(hang=True)
    server.routes["/pypi/other/json"] = index_answer("1.0", {"1.0": "2026-01-01"})
    folder = own_folder(
        tmp_path,
        {
            "paddle": toolkit("paddle", "[paddle]"),
            "other": toolkit("other", "[other]", version="1.0"),
        },
    )
    result = cli("check", "--no-bundled", "--data", str(folder), "--timeout", "1.5", "-f", "json")
    assert result.code == 1
    assert findings(result.out) == {
        "other": [],
        "paddle": [
            (
                "unreachable",
                "paddle: the index could not be read (timeout: no answer within the timeout)",
            )
        ],
    }


def test_offline_is_one_clear_message(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    result = cli(
        "check",
        "--no-bundled",
        "--data",
        str(folder),
        "--index-url",
        f"http://127.0.0.1:{port}/pypi",
    )
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(
        f"dlcompare: error: cannot reach the package index at http://127.0.0.1:{port}/pypi "
        "(refused: the connection was refused)"
    )
    assert "Traceback" not in result.err


def test_the_proxy_variables_are_honoured(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is named by a host that never resolves (.test): the request goes to the
    proxy on 127.0.0.1, which answers for it."""
    server.routes["http://pypi.test/pypi/paddle/json"] = index_answer("2.5.0", {"2.5.0": PAST})
    monkeypatch.setenv("http_proxy", server.url)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    result = cli(
        "check", "--no-bundled", "--data", str(folder), "--index-url", "http://pypi.test/pypi/"
    )
    assert result.code == 0, result.err
    assert ("GET", "pypi.test", "http://pypi.test/pypi/paddle/json") in server.seen


def test_every_format(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", LATER)
    paddle_index(server)
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    rows = list(
        csv.reader(
            io.StringIO(cli("check", "--no-bundled", "--data", str(folder), "-f", "csv").out)
        )
    )
    assert rows[0] == ["toolkit", "state", "rated_version", "packages", "kind", "message"]
    assert rows[1][:5] == ["paddle", "active", "2.5.0", "paddle==3.0.1", "new-release"]
    markdown = cli("check", "--no-bundled", "--data", str(folder), "-f", "markdown").out
    assert "| Paddle |" in markdown and "new-release" in markdown


def test_usage_errors_exit_2(cli, server: LocalServer) -> None:
    assert cli("check", "--index-url", "ftp://example.org/pypi").code == 2
    assert cli("check", "--timeout", "0").code == 2
    assert cli("check", "--links", "-o", "out").code == 2
    assert cli("check", "--stale-after", "-1").code == 2


def test_the_overlay_refreshes_what_could_be_verified(
    cli, server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DLCOMPARE_TODAY", LATER)
    paddle_index(server)
    server.routes["/pypi/chainer/json"] = recorded("chainer")
    folder = own_folder(
        tmp_path,
        {
            "paddle": toolkit("paddle", "[paddle]"),
            "chainer": toolkit("chainer", "[chainer]").replace(
                "  state: active\n", "  state: ended\n  date: 2019-12-05\n"
            ),
            "ghost": toolkit("ghost", "[no-such-package]"),
        },
    )
    out = tmp_path / "refreshed"
    result = cli("check", "--no-bundled", "--data", str(folder), "-o", str(out))
    assert result.code == 1, result.err
    assert sorted(p.name for p in (out / "toolkits").iterdir()) == ["paddle.yaml"]
    checked = cli("validate", str(out), "--no-bundled", "--data", str(folder))
    assert checked.code == 0 and "problem(s)" not in checked.out
    listed = json.loads(
        cli("list", "--no-bundled", "--data", str(folder), "--data", str(out), "-f", "json").out
    )
    status = next(t for t in listed["toolkits"] if t["id"] == "paddle")["status"]
    assert status["checked"] == LATER and status["state"] == "active"
    assert status["note"] == (
        f"Released often. As of {LATER}, the Python package index lists paddle 3.0.1 "
        "(uploaded 2027-04-20) as the latest release."
    )
    again = cli("check", "--no-bundled", "--data", str(folder), "-o", str(out))
    assert again.code == 1 and "already exists; use --force" in again.err
    # refreshed again over the refreshed data: the sentence is replaced, not repeated
    monkeypatch.setenv("DLCOMPARE_TODAY", "2027-06-01")
    forced = cli(
        "check",
        "--no-bundled",
        "--data",
        str(folder),
        "--data",
        str(out),
        "-o",
        str(out),
        "--force",
    )
    assert forced.code == 1
    text = (out / "toolkits" / "paddle.yaml").read_text()
    assert text.count("As of") == 1 and "As of 2027-06-01" in text


def test_no_overlay_is_written_when_the_index_is_unreachable(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    folder = own_folder(tmp_path, {"paddle": toolkit("paddle", "[paddle]")})
    out = tmp_path / "refreshed"
    result = cli(
        "check",
        "--no-bundled",
        "--data",
        str(folder),
        "-o",
        str(out),
        "--index-url",
        f"http://127.0.0.1:{port}/pypi",
    )
    assert result.code == 1 and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dlcompare-")]


# --- check --links ---------------------------------------------------------------------------


@pytest.fixture
def sites(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    """Every address, whatever its host, answered by the local server."""
    opener = local_opener(server)
    monkeypatch.setattr(
        run,
        "new_client",
        lambda timeout: web.Client(timeout=timeout, sleep=lambda s: None, opener=opener),
    )
    return server


def test_links_broken_moved_slow_and_fine(cli, sites: LocalServer, tmp_path: Path) -> None:
    sites.routes.update(
        {
            ("ok.test", "/a"): Reply(200, b"fine"),
            ("moved.test", "/d"): Reply(301, headers={"Location": "https://elsewhere.test/d"}),
            ("elsewhere.test", "/d"): Reply(200, b"here"),
            ("www.same.test", "/e"): Reply(301, headers={"Location": "https://same.test/e"}),
            ("same.test", "/e"): Reply(200),
            ("err.test", "/c"): Reply(500),
            ("loop.test", "/x"): Reply(302, headers={"Location": "/y"}),
            ("loop.test", "/y"): Reply(302, headers={"Location": "/x"}),
            ("slow.test", "/s"): Reply(200, delay=2.0),
            ("hang.test", "/h"): Reply(hang=True),
            ("nohead.test", "/n"): lambda: Reply(200, b"page"),
        }
    )
    sources = [
        "https://ok.test/a",
        "https://gone.test/b",
        "https://err.test/c",
        "https://moved.test/d",
        "https://www.same.test/e",
        "https://loop.test/x",
        "https://slow.test/s",
        "https://hang.test/h",
        "https://nohead.test/n",
    ]
    folder = own_folder(
        tmp_path,
        {
            "paddle": toolkit("paddle", "[paddle]", sources=json.dumps(sources)),
            "other": toolkit("other", "[other]", sources=json.dumps(sources[:2])),
        },
    )
    result = cli(
        # generous against a loaded machine: slow is over half the timeout (1.25 s), a hang
        # ends at the timeout
        "check",
        "--links",
        "--no-bundled",
        "--data",
        str(folder),
        "--timeout",
        "2.5",
        "-f",
        "json",
    )
    assert result.code == 1, result.err
    report = json.loads(result.out)
    by_url = {link["url"]: link for link in report["links"]}
    assert len(by_url) == len(sources)  # each address once
    outcome = {url: link["outcome"] for url, link in by_url.items()}
    assert outcome == {
        "https://ok.test/a": "ok",
        "https://gone.test/b": "broken",
        "https://err.test/c": "broken",
        "https://moved.test/d": "moved",
        "https://www.same.test/e": "ok",
        "https://loop.test/x": "broken",
        "https://slow.test/s": "slow",
        "https://hang.test/h": "broken",
        "https://nohead.test/n": "ok",
    }
    assert by_url["https://gone.test/b"]["status"] == 404
    assert by_url["https://moved.test/d"]["final_url"] == "https://elsewhere.test/d"
    assert by_url["https://hang.test/h"]["message"].startswith("timeout")
    assert by_url["https://ok.test/a"]["cited_by"] == [
        {"toolkit": "other", "criterion": "interfaces"},
        {"toolkit": "paddle", "criterion": "interfaces"},
    ]
    assert [link["outcome"] for link in report["links"]][:3] == ["broken"] * 3  # problems first
    asked = [(m, h) for m, h, _ in sites.seen if h == "ok.test"]
    assert asked == [("HEAD", "ok.test")]  # deduplicated; HEAD was enough
    table = cli("check", "--links", "--no-bundled", "--data", str(folder), "--timeout", "2.5")
    text = " ".join(table.out.split())
    assert "gone.test/b" in text and "paddle interfaces" in text and "ok.test" not in text


def test_links_all_fine_exit_0(cli, sites: LocalServer, tmp_path: Path) -> None:
    sites.routes[("ok.test", "/a")] = Reply(200)
    folder = own_folder(
        tmp_path, {"paddle": toolkit("paddle", "[paddle]", sources='["https://ok.test/a"]')}
    )
    result = cli("check", "--links", "--no-bundled", "--data", str(folder))
    assert (result.code, result.err) == (0, "")
    assert "Every source answered." in result.out


def test_links_of_the_bundled_data_are_each_asked_once(cli, sites: LocalServer) -> None:
    result = cli("check", "--links", "-f", "json")
    report = json.loads(result.out)
    urls = [link["url"] for link in report["links"]]
    assert urls and len(urls) == len(set(urls))
    assert {h for _, h, _ in sites.seen} >= {"github.com"}
    assert all(link["outcome"] == "broken" for link in report["links"])  # 404: nothing routed
    assert result.code == 1


def test_connection_failures_are_named() -> None:
    assert web._classified(socket.gaierror(-2, "Name or service not known")).kind == "dns"
    assert web._classified(ssl.SSLCertVerificationError("bad")).kind == "tls"
    assert web._classified(TimeoutError()).kind == "timeout"
    assert web._classified(ConnectionRefusedError()).kind == "refused"


def test_no_progress_bar_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    with run.progress_bar("Reading", 3) as advance:
        advance()
    assert capsys.readouterr() == ("", "")


def test_the_command_line_defaults_are_the_library_s() -> None:
    from dlcompare import checking
    from dlcompare.cli import check as command

    assert command.DEFAULT_STALE_AFTER_DAYS == checking.DEFAULT_STALE_AFTER_DAYS
    assert command.DEFAULT_TIMEOUT == web.DEFAULT_TIMEOUT


def test_a_server_s_garbled_status_line_is_not_quoted() -> None:
    import http.client

    error = web._classified(http.client.BadStatusLine("\x1b[2Jevil"))
    assert error.kind == "error" and "evil" not in error.message
