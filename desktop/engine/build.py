"""Builds a composed Dockerfile on a Docker Engine, reporting every step as :mod:`build_events`.

BuildKit runs through the Engine API itself, ``POST /build?version=2``, with no docker CLI and no gRPC
session (see /work/shared/ENGINE.md); ``classic=True`` asks for the classic builder (``version=1``). The build
folder is streamed as a tar body while it is read (:mod:`build_context`), the engine's answer is read in a
thread of its own and handed to the loop in batches (:func:`threads.stream_blocking`), and each JSON line is
translated by :mod:`build_progress` into step updates, logs, and in the end the image or the failure with a
hint (:mod:`build_hints`).

Cancelling the task that iterates :func:`build` stops the upload and shuts the connection down; the engine
then cancels the build by itself. Each build uses a client of its own, closed when it ends.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.blocks.model import Document
from desktop.dockerfile.render import Rendered, render
from desktop.engine.build_context import DOCKERFILE_NAME, ContextScan, scan_context, stream_context
from desktop.engine.build_events import BuildEvent, BuildFailed, BuildFinished, UploadProgress
from desktop.engine.build_hints import diagnose
from desktop.engine.build_progress import BuildKitTranslator, ClassicTranslator, Failure
from desktop.engine.build_steps import StepMapper
from desktop.engine.dockerignore import DockerignoreError
from desktop.engine.labels import dockblocks_labels
from desktop.engine.problems import EngineUnavailable, classify
from desktop.engine.threads import run_blocking, stream_blocking
from desktop.i18n import format_text, load_texts

PROGRESS_INTERVAL = 0.1
"""Seconds between two upload progress reports: ten a second is smooth, and costs nothing."""

ApiFactory = Callable[[], Any]
"""Makes a new ``docker.APIClient`` for one build (the build closes it)."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how.

    Attributes:
        document: the composed document (steps are mapped back to its blocks).
        context_dir: the build folder.
        tag: the image name (``name:tag``), or None for an untagged image.
        classic: use the classic builder instead of BuildKit.
        labels: labels for the image, besides the Dockblocks label every image gets.
        rendered: the render of ``document``, when the caller has it already (rendered again otherwise).
        scan: the scan of ``context_dir``, when the caller made one (to ask about the size first).
        no_cache: build every step again, ignoring the engine's cache.
    """

    document: Document
    context_dir: Path
    tag: str | None = None
    classic: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    rendered: Rendered | None = None
    scan: ContextScan | None = None
    no_cache: bool = False


def _say(key: str, **values: Any) -> str:
    return format_text(load_texts("build")[key], **values)


class _Upload:
    """The build request: its body is streamed from one thread while the answer is read in another.

    requests sends the whole body before it returns the response, so the upload runs in a helper thread
    and reports its progress through a queue; the stream read by :func:`stream_blocking` yields those
    reports first, then the engine's JSON lines.
    """

    def __init__(self, api: Any, params: dict[str, Any], scan: ContextScan, dockerfile: bytes) -> None:
        self.api = api
        self.params = params
        self.scan = scan
        self.dockerfile = dockerfile
        self.stopping = threading.Event()
        self.response: Any = None
        self._reports: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._last_report = 0.0
        self._last_sent = -1

    def _progress(self, sent: int) -> None:
        now = time.monotonic()
        if sent == self._last_sent:
            return
        if now - self._last_report >= PROGRESS_INTERVAL or sent == self.scan.total_bytes:
            self._last_report, self._last_sent = now, sent
            self._reports.put(("sent", sent))

    def _send(self) -> None:
        body = stream_context(self.scan, self.dockerfile, self._progress, self.stopping.is_set)
        try:
            response = self.api._post(
                self.api._url("/build"),
                params=self.params,
                data=body,
                headers={"Content-Type": "application/x-tar"},
                stream=True,
                timeout=None,  # a step may print nothing for minutes
            )
            self.api._raise_for_status(response)
        except BaseException as error:
            self._reports.put(("error", error))
        else:
            if self.stopping.is_set():  # cancelled while sending: nobody will read the answer
                with contextlib.suppress(Exception):
                    response.close()
            self._reports.put(("response", response))

    def items(self) -> Iterator[dict[str, Any]]:
        """Upload reports (``{"upload": bytes}``), then the engine's decoded JSON lines."""
        sender = threading.Thread(target=self._send, name="build-upload", daemon=True)
        sender.start()
        while True:
            kind, value = self._reports.get()
            if kind == "sent":
                yield {"upload": value}
            elif kind == "error":
                raise value
            else:
                self.response = value
                break
        if self.stopping.is_set():
            return
        yield from self.api._stream_helper(self.response, decode=True)

    def close(self) -> None:
        """Stops the upload and shuts the connection, so the engine cancels the build."""
        self.stopping.set()
        response = self.response
        if response is not None:
            with contextlib.suppress(Exception):
                raw_socket = self.api._get_raw_response_socket(response)
                raw = getattr(raw_socket, "_sock", raw_socket)
                raw.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(Exception):
                response.close()
        with contextlib.suppress(Exception):
            self.api.close()


def build_params(options: BuildOptions) -> dict[str, Any]:
    """The query of ``POST /build`` for these options."""
    import json

    params: dict[str, Any] = {
        "dockerfile": DOCKERFILE_NAME,
        "rm": "1",
        "forcerm": "1",
        "labels": json.dumps(dockblocks_labels(options.labels)),
        "version": "1" if options.classic else "2",
    }
    if options.tag:
        params["t"] = options.tag
    if options.no_cache:
        params["nocache"] = "1"
    return params


async def build(options: BuildOptions, api_factory: ApiFactory) -> AsyncIterator[list[BuildEvent]]:
    """Builds and yields what happens, in batches, ending with BuildFinished or BuildFailed.

    Problems a user can act on (no engine, an unreadable folder, a failed step, a lost connection) end in
    a BuildFailed with a plain message; nothing is raised but cancellation.

    Args:
        options: what to build.
        api_factory: makes a fresh ``docker.APIClient`` (the window's ``engine.new_api_client``).
    """
    rendered = options.rendered or render(options.document)
    if not any(True for _ in options.document.instructions()):
        yield [BuildFailed(_say("failed.empty_document"))]
        return
    mapper = StepMapper(options.document)
    scan = options.scan
    if scan is None:
        try:
            scan = await run_blocking(scan_context, options.context_dir)
        except DockerignoreError as error:
            yield [BuildFailed(_say("failed.bad_dockerignore", reason=str(error)))]
            return
        except OSError as error:
            reason = error.strerror or str(error)
            yield [
                BuildFailed(_say("failed.context_unreadable", folder=str(options.context_dir), reason=reason))
            ]
            return
    try:
        api = await run_blocking(api_factory)
    except EngineUnavailable as error:
        yield [BuildFailed(error.problem.message, hint=error.problem.hint)]
        return
    except Exception as error:  # docker-py's own errors when the factory is a bare docker.APIClient
        problem = classify(error, "")
        yield [BuildFailed(problem.message, hint=problem.hint)]
        return
    upload = _Upload(api, build_params(options), scan, rendered.text.encode("utf-8"))
    translator: BuildKitTranslator | ClassicTranslator
    if options.classic:
        translator = ClassicTranslator(mapper)
        first = translator.waiting()
        if first:
            yield first
    else:
        translator = BuildKitTranslator(mapper)
    lost: str | None = None
    try:
        async for batch in stream_blocking(upload.items, upload.close):
            events: list[BuildEvent] = []
            now = time.time()
            for item in batch:
                if "upload" in item:
                    events.append(UploadProgress(int(item["upload"]), scan.total_bytes))
                elif isinstance(translator, ClassicTranslator):
                    events.extend(translator.feed(item, now))
                else:
                    events.extend(translator.feed(item))
            if events:
                yield translator.merge_logs(events)
    except Exception as error:  # the engine went away, or answered an error before building
        if not _is_engine_error(error):
            raise  # a fault of ours: the front door logs it and says so
        lost = _engine_error_message(error)
    finally:
        upload.close()
    yield _outcome(translator, lost, mapper, rendered, options)


def _outcome(
    translator: BuildKitTranslator | ClassicTranslator,
    lost: str | None,
    mapper: StepMapper,
    rendered: Rendered,
    options: BuildOptions,
) -> list[BuildEvent]:
    events: list[BuildEvent] = translator.flush_all()
    if isinstance(translator, ClassicTranslator) and lost is None:
        events.extend(translator.finish(time.time()))
    failure = translator.failure
    if failure is None and lost is not None:
        failure = Failure(lost)
    if failure is None and translator.image_id is None:
        failure = Failure(_say("failed.no_image"))
    if failure is not None:
        diagnosis = diagnose(failure, mapper, rendered, options.context_dir)
        events.append(BuildFailed(failure.message, diagnosis.block_id, failure.step_id, diagnosis.hint))
        return events
    assert translator.image_id is not None
    events.append(BuildFinished(translator.image_id, (options.tag,) if options.tag else ()))
    return events


def _is_engine_error(error: BaseException) -> bool:
    """Whether an exception comes from the connection or the engine (not from a bug of the app)."""
    import http.client

    import docker.errors
    import requests
    import urllib3.exceptions

    engine_errors = (
        OSError,
        requests.RequestException,
        docker.errors.DockerException,
        docker.errors.StreamParseError,  # a line cut off when the connection broke
        urllib3.exceptions.HTTPError,
        http.client.HTTPException,
    )
    return isinstance(error, engine_errors)


def _engine_error_message(error: Exception) -> str:
    """The engine's own explanation when it answered with an error, else "the connection was lost"."""
    explanation = getattr(error, "explanation", None)
    if explanation:
        return str(explanation).strip()
    return _say("failed.engine_lost")
