"""The studio's web front (Starlette on uvicorn), on 127.0.0.1 unless told otherwise.

Routes: ``/`` the page, ``/static/*`` its CSS and JS (shipped in this package), ``/font/cjk.ttc``
the game's Chinese font (a last resort for the page and the map), ``/api/snapshot``
everything the page shows, ``/api/events`` a Server-Sent Events stream that says "changed"
whenever the file was saved or the play-test moved, and the play-test's ``/api/play/choose``,
``/api/play/reset`` and ``/api/play/wait``. A watcher thread polls the file's size and time
(every :data:`POLL` seconds), so a save from any editor shows up without a reload.

Play-test requests must carry the header ``X-Studio: 1``: a page from another site cannot send a
custom header to this server without a CORS preflight, which is never granted.

    handle = start_studio("scenarios/nanhu.yaml", port=0)     # background thread (tests)
    handle.url ... handle.stop()
    serve_studio(path, port, on_ready)                         # foreground (the CLI)
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine.studio.workbench import Workbench
from engine.web.runner import bind_socket

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_PORT = 8780
POLL = 0.4
HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
}


def build_app(bench: Workbench) -> Starlette:
    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "studio.html", headers=HEADERS)

    async def font(request: Request) -> Response:
        # the game's bundled Chinese font: the page reads right even where the system has none
        try:
            import noto_cjk_sans_otc  # type: ignore[import-untyped]
        except ImportError:
            return Response(status_code=404)
        return FileResponse(str(noto_cjk_sans_otc.FONT_PATH), media_type="font/collection")

    async def snapshot(request: Request) -> Response:
        return JSONResponse(bench.snapshot(), headers=HEADERS)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            seen = -1
            quiet = 0.0
            while not await request.is_disconnected():
                if bench.version != seen:
                    seen = bench.version
                    quiet = 0.0
                    yield f"data: {seen}\n\n"
                elif quiet > 15:
                    quiet = 0.0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(0.2)
                quiet += 0.2

        return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)

    async def play(request: Request) -> Response:
        if request.headers.get("x-studio") != "1":
            return JSONResponse({"error": "缺少请求头"}, status_code=403, headers=HEADERS)
        action = request.path_params["action"]
        body: dict[str, Any] = {}
        if action == "choose":
            try:
                body = await request.json()
                role, index, node = str(body["role"]), int(body["index"]), body.get("node")
            except (ValueError, KeyError, TypeError):
                return JSONResponse({"error": "请求格式不对"}, status_code=400, headers=HEADERS)
            error = bench.play_choose(role, index, None if node is None else str(node))
            if error:
                return JSONResponse({"error": error}, status_code=409, headers=HEADERS)
        elif action == "reset":
            bench.play_reset()
        elif action == "wait":
            bench.play_skip_wait()
        else:
            return JSONResponse({"error": "没有这个操作"}, status_code=404, headers=HEADERS)
        return JSONResponse({"ok": True, "version": bench.version}, headers=HEADERS)

    return Starlette(
        routes=[
            Route("/", page),
            Route("/font/cjk.ttc", font),
            Route("/api/snapshot", snapshot),
            Route("/api/events", events),
            Route("/api/play/{action}", play, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
    )


def _watch(bench: Workbench, stop: threading.Event) -> None:
    while not stop.wait(POLL):
        with contextlib.suppress(Exception):  # a half-written file is read again next time
            bench.poll()


def _server(bench: Workbench) -> uvicorn.Server:
    config = uvicorn.Config(
        build_app(bench), lifespan="off", log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    return uvicorn.Server(config)


class StudioHandle:
    """A studio serving in a background thread."""

    def __init__(self, bench: Workbench, url: str) -> None:
        self.bench = bench
        self.url = url
        self.server: uvicorn.Server | None = None
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def stop(self) -> None:
        self.stopping.set()
        if self.server is not None:
            self.server.should_exit = True
        for thread in self.threads:
            thread.join(timeout=10)


def start_studio(path: str | Path, port: int = 0, bind: str = "127.0.0.1") -> StudioHandle:
    """Serve the studio for ``path`` in daemon threads; returns once it listens."""
    sock = bind_socket(bind, port)
    bench = Workbench(path)
    handle = StudioHandle(bench, f"http://{bind}:{sock.getsockname()[1]}/")
    ready = threading.Event()

    async def main() -> None:
        server = handle.server = _server(bench)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        ready.set()
        try:
            await task
        finally:
            sock.close()

    watcher = threading.Thread(target=_watch, args=(bench, handle.stopping), name="studio-watch", daemon=True)
    server_thread = threading.Thread(target=asyncio.run, args=(main(),), name="studio", daemon=True)
    handle.threads = [server_thread, watcher]
    watcher.start()
    server_thread.start()
    ready.wait(timeout=30)
    return handle


def serve_studio(path: str | Path, port: int, bind: str, on_ready: Callable[[str], None]) -> None:
    """Serve in the foreground until Ctrl+C (the CLI)."""
    sock = bind_socket(bind, port)
    bench = Workbench(path)
    url = f"http://{bind}:{sock.getsockname()[1]}/"
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(bench, stop), name="studio-watch", daemon=True)
    watcher.start()
    server = _server(bench)

    async def main() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        if server.started:
            on_ready(url)
        await task

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())
    finally:
        stop.set()
        sock.close()
