"""Issue 20's attacks on a real ``geo serve`` on loopback: framing and body limit, JSON depth, malformed
bodies, the public Open311 list, health when writes fail, run links, tokens in the access log, rate limits
for every role.
"""

from __future__ import annotations

import datetime as dt
import resource
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from geo.service.generalise import PublicGrid
from geo.service.ratelimit import RateLimiter, client_key
from geo.service.storage import RunRecord, open_store
from tests.service.conftest import BOR, VARNAMO, Server, add_user

BODY = {"lat": VARNAMO[0], "lon": VARNAMO[1], "category": "mörkt", "occurred_at": "2025-01-10T21:30"}


class Secured:
    def __init__(self, server: Server, staff: str, viewer: str) -> None:
        self.server, self.staff, self.viewer = server, staff, viewer

    def client(self, token: str | None = None, *, address: str = "127.0.0.1") -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(
            base_url=self.server.url,
            headers=headers,
            timeout=30,
            transport=httpx.HTTPTransport(local_address=address),
        )


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    tmp: Path = tmp_path_factory.mktemp("secured")
    db = str(tmp / "lagesbild.gpkg")
    staff = add_user(db, "staff", "staff")
    viewer = add_user(db, "viewer", "viewer")
    server = Server(db, tmp, "--rate-limit", "3", "--access-log", "--log-level", "info").start()
    try:
        yield Secured(server, staff, viewer)
    finally:
        server.stop()


def raw_request(port: int, data: bytes, *, timeout_s: float = 10) -> bytes:
    """Send raw bytes; return what the server answered (until it closes or times out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as s:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may answer and close before everything is sent
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
                if b"\r\n\r\n" in out:
                    break
        except (TimeoutError, ConnectionResetError):
            pass
        return out


def _chunked(total: int, piece: int = 65536) -> bytes:
    out = bytearray()
    left = total
    while left:
        n = min(piece, left)
        out += f"{n:x}\r\n".encode() + b"a" * n + b"\r\n"
        left -= n
    return bytes(out + b"0\r\n\r\n")


# -- finding 3: body limit and framing ------------------------------------------------------------------
def test_chunked_with_content_length_is_refused(secured: Secured) -> None:
    head = (
        b"POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nContent-Length: 10\r\n\r\n"
    )
    answer = raw_request(secured.server.port, head + _chunked(2_000_000))
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_chunked_body_over_limit_is_413(secured: Secured) -> None:
    head = (
        b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer = raw_request(secured.server.port, head + _chunked(2_000_000))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    with secured.client() as c:
        assert c.get("/healthz").status_code == 200  # still serving


# -- finding 7: JSON depth and malformed bodies -----------------------------------------------------------
def test_deep_json_is_400(secured: Secured) -> None:
    deep = b"[" * 10_000
    with secured.client() as pub, secured.client(secured.staff) as staff:
        for c, path in ((pub, "/api/reports"), (pub, "/open311/v2/requests.json"), (staff, "/api/measures")):
            r = c.post(path, content=deep, headers={"content-type": "application/json"})
            assert r.status_code == 400, (path, r.status_code, r.text)
        nested = {"a": 1}
        for _ in range(40):
            nested = {"a": nested}
        r = staff.post("/api/measures", json=nested)
        assert r.status_code == 400


MALFORMED: list[tuple[str, bytes]] = [
    ("application/json", b"\xff\xfe\x00"),
    ("application/json", b'{"lat": 1e999999, "lon": 14, "category": "m\\u00f6rkt"}'),
    ("application/json", b'{"lat": NaN, "lon": Infinity}'),
    ("application/json", b"[]"),
    ("application/json", b'"just a string"'),
    ("application/json", b'{"lat": {"$gt": 1}}'),
    ("application/json", b'{"lat": 57.18, "lon": 14.04, "category": ["m\\u00f6rkt"], "occurred_at": 12}'),
    ("application/json", b'{"\\ud800": 1}'),
    ("application/x-www-form-urlencoded", b"%ff%fe=%ff&lat=x"),
    ("application/x-www-form-urlencoded", b"service_code=m%C3%B6rkt&lat=abc&long=def"),
    ("multipart/form-data; boundary=zz", b"--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zz--"),
    ("multipart/form-data", b"garbage"),
    ("text/plain", b"\x00\x01\x02"),
    ("", b"{"),
]


@pytest.mark.parametrize(("ctype", "body"), MALFORMED, ids=[str(i) for i in range(len(MALFORMED))])
def test_malformed_bodies_are_4xx(secured: Secured, ctype: str, body: bytes) -> None:
    with secured.client(secured.staff) as staff:
        for path in ("/api/reports", "/open311/v2/requests.json", "/api/measures", "/api/measures/accept"):
            r = staff.post(path, content=body, headers={"content-type": ctype} if ctype else {})
            assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
        r = staff.patch("/api/measures/x", content=body, headers={"content-type": ctype} if ctype else {})
        assert 400 <= r.status_code < 500, r.text


CELL_TTL_S = 31.0
"""A little over :class:`geo.service.generalise.CellCounts`' default time to live (30 s)."""


# -- finding 1: the public Open311 list ------------------------------------------------------------------
def _submit(secured: Secured, lat: float, lon: float, when: str, address: str, text: str) -> str:
    with secured.client(address=address) as c:
        r = c.post(
            "/open311/v2/requests.json",
            data={
                "service_code": "mörkt",
                "lat": str(lat),
                "long": str(lon),
                "description": text,
                "requested_datetime": when,
            },
        )
        assert r.status_code == 201, r.text
        return str(r.json()[0]["service_request_id"])


def test_open311_public_list_is_generalised(secured: Secured) -> None:
    today = dt.date.today().isoformat()
    store = open_store(secured.server.db)
    grid = PublicGrid(store.crs_epsg)  # cells in the store's metric CRS
    store.close()
    centre = grid.centre(grid.cell(*VARNAMO))
    crowd = [
        _submit(
            secured,
            centre[0] + i * 2e-5,
            centre[1],
            f"{today}T0{i}:1{i}",
            f"127.0.1.{i + 1}",
            "Per bor här",
        )
        for i in range(6)
    ]
    lone = _submit(secured, BOR[0], BOR[1], f"{today}T03:17", "127.0.1.50", "Anna, Borvägen 3")
    with secured.client() as pub:  # unreviewed: nothing of them is public yet
        assert not set(crowd) & {q["service_request_id"] for q in pub.get("/open311/v2/requests.json").json()}
    with secured.client(secured.staff) as staff:  # moderation clears them for publication
        for rid in [*crowd, lone]:
            assert staff.patch(f"/api/reports/{rid}", json={"status": "approved"}).status_code == 200
    time.sleep(CELL_TTL_S)  # the public cell counts are recounted at most this often
    with secured.client() as pub, secured.client(address="127.0.0.1") as anon:
        public = {q["service_request_id"]: q for q in pub.get("/open311/v2/requests.json").json()}
        assert set(crowd) | {lone} <= set(public)
        for q in public.values():
            assert q["description"] is None
            for key in ("requested_datetime", "updated_datetime", "occurred_datetime"):
                assert q[key].endswith("T00:00:00+01:00") or q[key].endswith("T00:00:00+02:00"), q[key]
        assert public[lone]["lat"] is None and public[lone]["long"] is None  # fewer than k share its cell
        shown = {(public[i]["lat"], public[i]["long"]) for i in crowd}
        assert shown == {centre}  # the cell's centre for all six, not their positions
        # differencing: filters never change how a report is shown
        one = anon.get(f"/open311/v2/requests/{lone}.json").json()[0]
        assert one["lat"] is None and one["description"] is None
        narrowed = anon.get(
            "/open311/v2/requests.json",
            params={"service_code": "mörkt", "start_date": f"{today}T03:16", "end_date": f"{today}T03:18"},
        ).json()
        by_id = {q["service_request_id"]: q for q in narrowed}
        assert set(crowd) <= set(by_id)  # widened to the whole day: the window cannot bracket a time
        assert all(by_id[i]["lat"] == public[i]["lat"] for i in by_id if i in public)
        full = pub.get("/open311/v2/requests.json", params={"api_key": secured.staff}).json()
        exact = {q["service_request_id"]: q for q in full}
        assert exact[lone]["description"] == "Anna, Borvägen 3" and exact[lone]["lat"] == BOR[0]
        viewer = pub.get("/open311/v2/requests.json", params={"api_key": secured.viewer}).json()
        assert all(q["description"] is None for q in viewer)  # viewer: no right to read reports
        api = pub.get("/openapi.json").json()
        assert "250 m" in api["paths"]["/open311/v2/requests.json"]["get"]["description"]


# -- finding 7: tokens never logged ------------------------------------------------------------------------
def test_access_log_never_shows_tokens(secured: Secured) -> None:
    with secured.client() as c:
        assert c.get("/open311/v2/requests.json", params={"api_key": secured.staff}).status_code == 200
        assert (
            c.get("/open311/v2/requests.json", params={"api_key": "lb_wrongwrongwrongwrongwrong"}).status_code
            == 401
        )
    time.sleep(0.5)
    log = secured.server.log.read_text(errors="replace")
    assert "GET /open311/v2/requests.json?api_key=***" in log  # the access log is on and redacted
    assert secured.staff not in log and secured.staff[3:] not in log
    assert "wrongwrongwrong" not in log


# -- finding 7: rate limits for every submitting role, bounded memory ---------------------------------------
def test_viewer_and_staff_are_rate_limited(secured: Secured) -> None:
    fresh = [add_user(secured.server.db, f"{role}-limited", role) for role in ("viewer", "staff")]
    for token in fresh:  # users with an untouched budget
        with secured.client(token, address="127.0.2.1") as c:
            codes = [c.post("/api/reports", json=BODY).status_code for _ in range(3 * 10 + 1)]
        assert codes[:30] == [201] * 30 and codes[30] == 429, codes


def test_limiter_memory_is_bounded() -> None:
    lim = RateLimiter(5, max_keys=1000)
    for i in range(50_000):  # every key active: nothing is stale
        lim.hit(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", now=1.0)
    assert len(lim) <= 1000
    assert client_key("2001:db8::1") == client_key("2001:db8::ffff:1") == "2001:db8::/64"
    assert client_key("::ffff:10.0.0.1") == "10.0.0.1"


# -- finding 7: run links resolve for staff ------------------------------------------------------------------
def test_run_links_resolve_for_staff(secured: Secured) -> None:
    run_id = "run-20260101T000000-abcdef"
    folder = secured.server.maps_dir / "runs" / run_id
    folder.mkdir(parents=True)
    (folder / "karta.html").write_text("<html><body><script>var a = 1;</script></body></html>")
    (folder / "patrol_plan.csv").write_text("rank,place\n1,Storgatan\n")
    now = dt.datetime.now(dt.UTC)
    store = open_store(secured.server.db)
    store.save_run(
        RunRecord(
            run_id,
            "done",
            now,
            "test",
            started_at=now,
            finished_at=now,
            outputs={"map": f"runs/{run_id}/karta.html", "patrol_plan": f"runs/{run_id}/patrol_plan.csv"},
        )
    )
    store.close()
    with secured.client(secured.staff) as staff, secured.client() as pub:
        outputs = staff.get(f"/api/runs/{run_id}").json()["outputs"]
        assert outputs == {
            "map": f"/maps/runs/{run_id}/karta.html",
            "patrol_plan": f"/maps/runs/{run_id}/patrol_plan.csv",
        }
        for url in outputs.values():
            r = staff.get(url)
            assert r.status_code == 200, (url, r.text)
            assert pub.get(url).status_code == 401
        page = staff.get(outputs["map"])
        assert "'sha256-" in page.headers["content-security-policy"]
        assert "unsafe-inline" not in page.headers["content-security-policy"].split("style-src")[0]
        assert staff.get(f"/maps/runs/{run_id}/..%2F..%2Fserve.log").status_code in (400, 404)
        assert staff.get(f"/maps/runs/{run_id}/../../lagesbild.gpkg").status_code in (400, 404)


# -- finding 7: /healthz when the store cannot be written ----------------------------------------------------
def test_healthz_503_when_writes_fail(tmp_path: Path) -> None:
    server = Server(str(tmp_path / "lagesbild.gpkg"), tmp_path, "--rate-limit", "0").start()
    assert server.proc is not None
    try:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            assert c.get("/healthz").status_code == 200
            # a full disk, as the process sees it: every write past the first byte fails (EFBIG)
            _, hard = resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE)
            resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (1, hard))
            assert c.post("/api/reports", json=BODY).status_code == 503
            h = c.get("/healthz")
            assert h.status_code == 503 and h.json()["status"] == "error"
            resource.prlimit(server.proc.pid, resource.RLIMIT_FSIZE, (hard, hard))
            assert c.get("/healthz").status_code == 200
            assert c.post("/api/reports", json=BODY).status_code == 201
    finally:
        server.stop()


# -- finding 4: free text never reaches run outputs (maps, GeoPackages, Parquet, CSV) ----------------------
def _holds(path: Path, secret: str) -> bool:
    """Whether a file of any output format holds `secret` in any text cell or its text."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio

    def any_cell(frame: pd.DataFrame) -> bool:
        return any(
            frame[c].map(lambda v: isinstance(v, str) and secret in v).any()
            for c in frame.columns
            if c != "geometry"
        )

    if path.suffix == ".parquet":
        return any_cell(pd.read_parquet(path))
    if path.suffix == ".gpkg":
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        if any(any_cell(gpd.read_file(path, layer=layer, engine="pyogrio")) for layer in layers):
            return True
    return secret.encode() in path.read_bytes()


def test_runs_never_hold_free_text(secured: Secured) -> None:
    secret = "Hemligt Zyxwvu Qwertz"
    staff_token = add_user(secured.server.db, "staff-text", "staff")
    with secured.client(staff_token) as staff, secured.client(secured.viewer) as viewer:
        for i in range(12):
            body = {**BODY, "lat": VARNAMO[0] + (i % 4) * 3e-3, "lon": VARNAMO[1] + (i // 4) * 5e-3}
            body["description"] = f"{secret} {i}"
            assert staff.post("/api/reports", json=body).status_code == 201
        run_id = staff.post("/api/runs").json()["run_id"]
        deadline = time.monotonic() + 300
        status = staff.get(f"/api/runs/{run_id}").json()
        while status["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(1)
            status = staff.get(f"/api/runs/{run_id}").json()
        assert status["status"] == "done", status["message"]
        files = [p for p in secured.server.maps_dir.rglob("*") if p.is_file()]
        assert any(p.suffix == ".gpkg" for p in files) and any(p.suffix == ".parquet" for p in files)
        assert [p.name for p in files if _holds(p, secret)] == []
        for url in status["outputs"].values():  # what a viewer (no reports:read) can fetch
            r = viewer.get(url)
            assert r.status_code == 200, url
            assert secret.encode() not in r.content
        assert secret.encode() not in viewer.get("/maps/lagesbild_internal.html").content
        stored = staff.get("/api/reports", params={"limit": 100_000}).json()["features"]
        assert any(secret in (f["properties"]["description"] or "") for f in stored)  # staff still read it
