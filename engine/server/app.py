"""The class server's web application: the students' pages, the teacher's, and the files.

`build_app(play, ...)` returns a Starlette app around a `ClassPlay`. Every page is rendered on
the server from Jinja2 templates (autoescaped) and works without JavaScript; the scripts in
`static/` only add keys, live updates, guards against double clicks, and the play forms sent
without loading a page. Every POST is a form with a CSRF token and a fixed set of fields,
answered with a redirect (post, redirect, get), so a reload never sends a choice again. The
play forms (a choice, undo, the content note's Continue) sent by `static/play.js` with the
header `X-BOP-Fetch: 1` are answered instead with the page the redirect leads to, at once
(`Server.answer`): one request a choice instead of two. So is the partner page's Begin.
"""

from __future__ import annotations

import io
import logging
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from engine.classroom.playthrough_page import render_playthrough
from engine.classroom.records import build_record, file_name
from engine.classroom.report_csv import render_csv
from engine.classroom.report_html import render_html
from engine.classroom.summary import summarize_class
from engine.play.flow import Flow
from engine.safe_read import Refused, read_limited
from engine.server import pages
from engine.server.classplay import (
    CODE_LIMIT,
    ENDINGS_KEY,
    ClassPlay,
    JoinError,
    Outcome,
    Player,
    Student,
    clean_text,
    text_problem,
)
from engine.server.forms import BadForm, read_form, time_stamp, whole_number
from engine.server.network import qr_svg
from engine.server.security import (
    PREFS_COOKIE,
    STUDENT_COOKIE,
    TEACHER_COOKIE,
    Guard,
    Throttle,
    cookie_options,
    new_session_id,
    same,
    sign,
)
from engine.story.images import IMAGE_BYTES_LIMIT, ImageProblem, read_header
from engine.story.text import PRONOUN_SETS, Partner

STATIC = Path(__file__).parent / "static"
FETCH_HEADER = "x-bop-fetch"  # sent by static/play.js with the play forms it sends itself
log = logging.getLogger("engine.server")

NOTES = {
    "stale": "That page was out of date, so nothing was changed. Here is where you are now.",
    "undone": "Your last choice was taken back.",
    "not-offered": "That choice is not on offer here. Here is where you are now.",
    "resumed": "Welcome back: you are where you left off.",
    "played-enough": "You have played this story as many times as one player may. Your "
    "teacher can let you start again.",
}


@dataclass(frozen=True)
class Addresses:
    """The addresses printed at start: where students join and the teacher's secret link."""

    students: str
    teacher: str


class Server:
    """The handlers, around one class's play."""

    def __init__(self, play: ClassPlay, addresses: Addresses, password: str | None = None):
        self.play = play
        self.addresses = addresses
        self.password = password
        self.teacher_token = sign(play.secret_key, "teacher", play.teacher_secret)
        self.qr_code = qr_svg(addresses.students)  # a standalone SVG file
        self.throttle = Throttle()
        self.inline = play.database.engine.dialect.name == "sqlite"

    # Shared ------------------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
        prefs = request.cookies.get(PREFS_COOKIE, "")
        context.setdefault("story", self.play.story)
        context.setdefault("prefs", frozenset(prefs.split(",")) & pages.PREFERENCES)
        context.setdefault("csrf", self.csrf(request))
        context.setdefault("path", request.url.path)
        context.setdefault("note", None)
        return HTMLResponse(pages.render(name, **context), status_code=status)

    def csrf(self, request: Request) -> str:
        if request.url.path.startswith("/teacher"):
            return sign(self.play.secret_key, "teacher-csrf", self.teacher_token)
        sid = request.cookies.get(STUDENT_COOKIE) or request.scope.get("bop.new_sid", "")
        return sign(self.play.secret_key, "csrf", sid) if sid else ""

    async def form(self, request: Request, *fields: str) -> dict[str, str]:
        """A student's or the teacher's form, its CSRF token checked."""
        form = await read_form(request, frozenset(("csrf", *fields)))
        expected = self.csrf(request)
        if not expected or not same(form.get("csrf"), expected):
            raise HTTPException(
                403,
                "This form has expired or did not come from this page. Go back, reload "
                "the page and try again. (This browser must accept cookies.)",
            )
        return form

    def with_sid(self, request: Request, response: Response) -> Response:
        new = request.scope.get("bop.new_sid")
        if new:
            response.set_cookie(STUDENT_COOKIE, new, **cookie_options())
        return response

    def ensure_sid(self, request: Request) -> str:
        sid = request.cookies.get(STUDENT_COOKIE)
        if not sid or len(sid) > 100:
            sid = request.scope["bop.new_sid"] = new_session_id()
        return sid

    async def call(self, function, *args):
        """Run a call of the class's play for a student's page. On SQLite it runs right here on
        the event loop: a query takes tens of microseconds and a choice one fsync, less than the
        hop to a worker thread and back; in a worker, every query gave up the GIL and waited to
        get it back from the busy loop, so the write lock was held about 6 ms for 1 ms of work
        and 300 students made about 110 choices a second instead of about 200
        (docs/performance.md). A database server's round trips still go to a thread."""
        if self.inline:
            return function(*args)
        return await run_in_threadpool(function, *args)

    async def write(self, change_for, *args):
        """Make a student's change other than a choice (joining, the note, beginning,
        leaving): `change_for(*args)` gives it as a `Pending` change (or its answer when there
        is nothing to write). On SQLite the group committer makes it with the choices arriving
        at the same time (engine/server/committer.py); in a worker thread, each of its
        statements gave up the GIL and waited to get it back while holding the write turn,
        which kept the other process's choices waiting (docs/performance.md). A database
        server's round trips go to a thread."""
        if self.inline:
            return await self.play.stored(change_for(*args))
        return await run_in_threadpool(lambda: self.play.now(change_for(*args)))

    async def student(self, request: Request) -> Student:
        """This browser's player (or None), the class's state and the player's step: one
        query, the first of every student's page."""
        sid = request.cookies.get(STUDENT_COOKIE)
        if not sid or len(sid) > 100:
            sid = None
        return await self.call(self.play.student, sid)

    async def player(self, request: Request) -> Player | None:
        return (await self.student(request)).player

    # Students ----------------------------------------------------------------------------------

    async def join_page(self, request: Request) -> Response:
        self.ensure_sid(request)
        player = await self.player(request)
        if player is not None:
            return redirect("/play")
        class_code = request.query_params.get("class", "")[:CODE_LIMIT]
        response = await self.join_form(request, class_code=class_code)
        return self.with_sid(request, response)

    async def join_form(
        self,
        request: Request,
        status: int = 200,
        error: str | None = None,
        class_code: str = "",
        code: str = "",
    ) -> Response:
        """The join page: its form with what was typed, and why it was refused, if it was."""
        joining_open, ended = await self.call(self.play.class_state)
        return self.render(
            request,
            "join.html",
            status=status,
            ask=self.play.classroom.ask_player,
            needs_class_code=bool(await self.call(lambda: self.play.join_code)),
            class_code=class_code,
            code=code,
            joining_open=joining_open,
            ended=ended,
            error=error,
            limit=CODE_LIMIT,
        )

    async def join(self, request: Request) -> Response:
        form = await self.form(request, "code", "class_code")
        sid = request.cookies[STUDENT_COOKIE]
        fresh = new_session_id()  # never a value someone else could have put in this browser
        try:
            _player, back = await self.write(
                self.play.joining, sid, form.get("code"), form.get("class_code"), fresh
            )
        except JoinError as error:
            return await self.join_form(
                request,
                400,
                str(error),
                clean_text(form.get("class_code", "")),
                clean_text(form.get("code", "")),
            )
        response = redirect("/play?note=resumed" if back else "/play")
        response.set_cookie(STUDENT_COOKIE, fresh, **cookie_options())
        return response

    async def play_page(self, request: Request) -> Response:
        return await self.current_page(request, NOTES.get(request.query_params.get("note", "")))

    async def current_page(self, request: Request, note: str | None) -> Response:
        """Where this browser's player is now, read from the database (the page of GET /play,
        whatever the request's own address), with `note` at its top."""
        student = await self.student(request)
        player = student.player
        if player is None:
            return redirect("/")

        def page(name: str, **context) -> Response:
            shared = {"path": "/play", "player": player, "note": note}  # "path" of GET /play
            return self.render(request, name, **(shared | context))

        if student.ended:
            return page("ended_class.html")
        if not player.seen_note:
            return page("note.html")
        view = await self.call(self.play.view, player, student.step)
        if view is None:
            return page(
                "partner.html",
                pronouns=list(PRONOUN_SETS),
                default=self.play.story.partner,
                error=None,
                limit=CODE_LIMIT,
            )
        session = view.session
        if session.state == Flow.ENDED:
            return page(
                "ending.html",
                view=view,
                **pages.ending_context(session, self.play.classroom),
            )
        return page(
            "scene.html",
            view=view,
            now=f"{time.time():.3f}",
            **pages.scene_context(session, self.play.classroom),
        )

    async def seen_note(self, request: Request) -> Response:
        await self.form(request)
        player = await self.need_player(request)
        await self.write(self.play.seeing_note, player)
        return await self.answer(request, "/play")

    async def begin(self, request: Request) -> Response:
        form = await self.form(request, "partner", "pronouns")
        player = await self.need_player(request)
        default = self.play.story.partner
        name = clean_text(form.get("partner", "")) or default.name
        pronouns = form.get("pronouns") or default.pronouns
        problem = text_problem(name, "The name")
        if pronouns not in PRONOUN_SETS:
            problem = "Pick one of the pronouns offered."
        if problem:
            return self.render(
                request,
                "partner.html",
                status=400,
                player=player,
                pronouns=list(PRONOUN_SETS),
                default=Partner(
                    name[:CODE_LIMIT], pronouns if pronouns in PRONOUN_SETS else "they"
                ),
                error=problem,
                limit=CODE_LIMIT,
            )
        outcome = await self.write(self.play.beginning, player, Partner(name, pronouns))
        where = "/play" if outcome == Outcome.DONE else "/play?note=stale"
        return await self.answer(request, where)

    async def choose(self, request: Request) -> Response:
        form = await self.form(request, "step", "shown", "choice")
        student = await self.need_student(request)
        step = whole_number(form.get("step"), "page's step")
        choice = form.get("choice")
        if not choice:
            raise BadForm("no choice was picked")
        shown = time_stamp(form.get("shown"))
        if self.inline:
            outcome, _turn = await self.play.choose_async(
                student.player, step, choice, shown, student
            )
        else:
            outcome, _turn = await run_in_threadpool(
                self.play.choose, student.player, step, choice, shown, student
            )
        return await self.answer(request, after(outcome))

    async def undo(self, request: Request) -> Response:
        form = await self.form(request, "step")
        student = await self.need_student(request)
        step = whole_number(form.get("step"), "page's step")
        if self.inline:
            outcome, _turn = await self.play.undo_async(student.player, step, student)
        else:
            outcome, _turn = await run_in_threadpool(self.play.undo, student.player, step, student)
        return await self.answer(request, after(outcome, done="/play?note=undone"))

    async def again(self, request: Request) -> Response:
        """Play again after an ending: the partner page, then a new playthrough."""
        form = await self.form(request, "step")
        player = await self.need_player(request)
        step = whole_number(form.get("step"), "page's step")
        view = await self.call(self.play.view, player)
        if view is None or view.step != step or view.session.state == Flow.PLAYING:
            return redirect("/play?note=stale")
        if not await self.write(self.play.leaving, player):
            return redirect("/play?note=played-enough")
        return redirect("/play")

    async def answer(self, request: Request, url: str) -> Response:
        """The answer to a play form once its change is committed (or refused): a 303 to
        `url`, the page at /play (post, redirect, get), or, when the page's script sent the
        form (`X-BOP-Fetch: 1`), that page itself, read from the database after the commit
        as the GET would read it, with a Content-Location naming `url` (the script puts it in
        the address bar, so a reload is that GET and never sends the form again)."""
        if request.headers.get(FETCH_HEADER) != "1":
            return redirect(url)
        response = await self.current_page(request, NOTES.get(url.partition("?note=")[2]))
        if response.status_code == 200:
            response.headers["content-location"] = url
        return response

    async def need_player(self, request: Request) -> Player:
        return (await self.need_student(request)).player

    async def need_student(self, request: Request) -> Student:
        student = await self.student(request)
        if student.player is None:
            raise HTTPException(
                403, "This browser has not joined the class: go to the start page and join."
            )
        return student

    async def printable(self, request: Request) -> Response:
        """The student's one-page report of the playthrough (the desktop game's export)."""
        player = await self.need_player(request)
        view = await self.call(self.play.view, player)
        if view is None:
            return redirect("/play")
        now = datetime.now(UTC)
        record = build_record(view.session, [], now, now, None, self.play.classroom.name)
        page = render_playthrough(record)
        return HTMLResponse(page, headers={"content-security-policy": pages.PRINTABLE_POLICY})

    async def help_page(self, request: Request) -> Response:
        self.ensure_sid(request)
        player = await self.player(request)
        return self.with_sid(
            request,
            self.render(
                request, "help.html", player=player, blocks=pages.support_blocks(self.play.story)
            ),
        )

    async def leave_device(self, request: Request) -> Response:
        """A student leaves a shared computer: this browser forgets them (their play is kept,
        to carry on with their code), and its cookie is cleared."""
        await self.form(request)
        player = await self.player(request)
        if player is not None:
            await run_in_threadpool(self.play.forget_browser, request.cookies[STUDENT_COOKIE])
        response = self.render(request, "left.html", code=player.code if player else None)
        response.delete_cookie(STUDENT_COOKIE, path="/", httponly=True, samesite="strict")
        return response

    async def preferences(self, request: Request) -> Response:
        form = await self.form(request, "contrast", "large", "back")
        chosen = [name for name in ("contrast", "large") if form.get(name)]
        back = form.get("back", "/")
        if back not in pages.BACK_PAGES:
            back = "/"
        response = redirect(back)
        response.set_cookie(PREFS_COOKIE, ",".join(chosen), **cookie_options(365 * 24 * 3600))
        return response

    async def icon(self, request: Request) -> Response:
        """The icon, for pages that name none (the printable page) and browsers that ask."""
        return Response((STATIC / "icon.svg").read_bytes(), media_type="image/svg+xml")

    async def picture(self, request: Request) -> Response:
        """A scene's picture, by the scene's id: only the pictures the story declares are
        served (a name from the address never becomes a path), each checked again, header
        first, and at most IMAGE_BYTES_LIMIT bytes, with its own content type."""
        scene_id = request.path_params["scene_id"]
        scenes = self.play.story.scenes
        image = scenes[scene_id].image if scene_id in scenes else None
        if image is None:
            raise HTTPException(404, "No such picture.")
        data = await run_in_threadpool(read_picture, image.path)
        if data is None:
            raise HTTPException(404, "The picture cannot be read.")
        content, content_type = data
        return Response(
            content, media_type=content_type, headers={"cache-control": "private, max-age=3600"}
        )

    async def qr(self, request: Request) -> Response:
        return Response(self.qr_code, media_type="image/svg+xml")

    # The teacher -------------------------------------------------------------------------------

    def check_throttle(self, request: Request) -> None:
        if self.throttle.blocked(client(request)):
            raise HTTPException(
                429, "Too many wrong tries from this device: wait five minutes and try again."
            )

    def is_teacher(self, request: Request) -> bool:
        return same(request.cookies.get(TEACHER_COOKIE), self.teacher_token)

    def need_teacher(self, request: Request) -> None:
        if not self.is_teacher(request):
            raise HTTPException(
                403,
                "This page is for the teacher. Open the Teacher link the server printed when "
                "it started"
                + (", or sign in with the class's password." if self.password else "."),
            )

    async def teacher_login(self, request: Request) -> Response:
        key = request.query_params.get("key")
        if key is not None:
            self.check_throttle(request)
            if same(key, self.play.teacher_secret):
                response = redirect("/teacher")
                response.set_cookie(TEACHER_COOKIE, self.teacher_token, **cookie_options(None))
                return response
            self.throttle.failed(client(request))
            raise HTTPException(
                403, "That teacher link is not right: copy it again from the server."
            )
        if self.is_teacher(request):
            return redirect("/teacher")
        sid = self.ensure_sid(request)
        return self.with_sid(
            request,
            self.render(
                request,
                "login.html",
                status=200 if self.password else 403,
                password=bool(self.password),
                error=None,
                csrf=sign(self.play.secret_key, "login", sid),
            ),
        )

    async def teacher_password(self, request: Request) -> Response:
        form = await read_form(request, frozenset({"csrf", "password"}))
        sid = request.cookies.get(STUDENT_COOKIE, "")
        if not sid or not same(form.get("csrf"), sign(self.play.secret_key, "login", sid)):
            raise HTTPException(403, "This form has expired: reload the sign-in page.")
        self.check_throttle(request)
        if not self.password or not same(form.get("password", ""), self.password):
            self.throttle.failed(client(request))
            return self.render(
                request,
                "login.html",
                status=403,
                password=bool(self.password),
                error="That password is not right." if self.password else None,
                csrf=form["csrf"],
            )
        response = redirect("/teacher")
        response.set_cookie(TEACHER_COOKIE, self.teacher_token, **cookie_options(None))
        return response

    async def dashboard(self, request: Request) -> Response:
        self.need_teacher(request)
        view = await run_in_threadpool(self.play.class_view)
        codes = request.query_params.get("codes") == "1"
        name = "dashboard_live.html" if request.url.path.endswith("/live") else "dashboard.html"
        return self.render(
            request,
            name,
            cls=view,
            codes=codes,
            addresses=self.addresses,
            join_code=await run_in_threadpool(lambda: self.play.join_code),
            classroom=self.play.classroom,
        )

    async def projector(self, request: Request) -> Response:
        self.need_teacher(request)
        view = await run_in_threadpool(self.play.class_view)
        name = "projector_live.html" if request.url.path.endswith("/live") else "projector.html"
        return self.render(
            request,
            name,
            cls=view,
            addresses=self.addresses,
            join_code=await run_in_threadpool(lambda: self.play.join_code),
            endings_key=ENDINGS_KEY,
        )

    async def reveal(self, request: Request) -> Response:
        self.need_teacher(request)
        form = await self.form(request, "key", "hide", "back")
        key = form.get("key", "")
        if key not in self.play.decision_keys():
            raise BadForm("there is no such decision to reveal")
        await run_in_threadpool(self.play.reveal, key, not form.get("hide"))
        back = form.get("back")
        return redirect(
            (back if back in ("/teacher", "/teacher/projector") else "/teacher/projector")
            + "#d-"
            + key
        )

    async def joining(self, request: Request) -> Response:
        self.need_teacher(request)
        form = await self.form(request, "open")
        await run_in_threadpool(self.play.set_joining, form.get("open") == "1")
        return redirect("/teacher")

    async def end(self, request: Request) -> Response:
        self.need_teacher(request)
        form = await self.form(request, "confirm")
        if form.get("confirm") != "yes":
            raise BadForm("tick the box to confirm ending the session")
        await run_in_threadpool(self.play.end_class)
        return redirect("/teacher")

    async def reset(self, request: Request) -> Response:
        """Reset a player, once the teacher has confirmed it on a page of its own."""
        self.need_teacher(request)
        form = await self.form(request, "player", "confirm")
        number = whole_number(form.get("player"), "player's number")
        if form.get("confirm") != "yes":
            view = await run_in_threadpool(self.play.class_view)
            row = next((p for p in view.players if p.number == number), None)
            if row is None:
                raise HTTPException(404, "There is no such player in this class.")
            return self.render(request, "reset.html", row=row)
        if not await run_in_threadpool(self.play.reset_player, number):
            raise HTTPException(404, "There is no such player in this class.")
        return redirect("/teacher")

    async def report(self, request: Request) -> Response:
        self.need_teacher(request)
        records = await run_in_threadpool(self.play.records)
        names = request.query_params.get("names") == "1"
        summary = summarize_class(records, names=names)
        if request.url.path.endswith(".csv"):
            return Response(
                render_csv(summary),
                media_type="text/csv; charset=utf-8",
                headers=_download("class-report.csv"),
            )
        return HTMLResponse(render_html(summary, []), headers=_download("class-report.html"))

    async def records_zip(self, request: Request) -> Response:
        """Every playthrough's record, in the desktop game's record format, in one .zip."""
        self.need_teacher(request)
        records = await run_in_threadpool(self.play.records)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for record in records:
                name = file_name(record.story.id, record.started).rsplit("-", 1)[0]
                archive.writestr(f"records/{name}-{record.id[:8]}.json", pages.record_json(record))
        return Response(
            buffer.getvalue(), media_type="application/zip", headers=_download("records.zip")
        )


def client(request: Request) -> str:
    """The address a request came from (for counting wrong guesses)."""
    return request.client.host if request.client else "unknown"


def _download(name: str) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    stem, suffix = name.rsplit(".", 1)
    return {"content-disposition": f'attachment; filename="{stem}-{stamp}.{suffix}"'}


def after(outcome: Outcome, done: str = "/play") -> str:
    """Where a change's answer leads: `done`, or /play with a note saying why nothing
    changed."""
    if outcome == Outcome.DONE or outcome == Outcome.CLOSED:
        return done if outcome == Outcome.DONE else "/play"
    return "/play?note=" + ("stale" if outcome == Outcome.STALE else "not-offered")


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def build_app(play: ClassPlay, addresses: Addresses, password: str | None = None) -> Starlette:
    """The class server's app for one class's play."""
    server = Server(play, addresses, password)

    async def error_page(request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", 500)
        detail = getattr(error, "detail", None)
        if status == 500 or not isinstance(error, HTTPException):
            log.exception("error on %s %s", request.method, request.url.path, exc_info=error)
            status, detail = 500, None
        return server.render(
            request,
            "error.html",
            status=status,
            status_code=status,
            message=pages.error_message(status, detail),
        )

    routes = [
        Route("/", server.join_page),
        Route("/join", server.join, methods=["POST"]),
        Route("/play", server.play_page),
        Route("/note", server.seen_note, methods=["POST"]),
        Route("/begin", server.begin, methods=["POST"]),
        Route("/choose", server.choose, methods=["POST"]),
        Route("/undo", server.undo, methods=["POST"]),
        Route("/again", server.again, methods=["POST"]),
        Route("/ending/print", server.printable),
        Route("/help", server.help_page),
        Route("/leave", server.leave_device, methods=["POST"]),
        Route("/preferences", server.preferences, methods=["POST"]),
        Route("/join-qr.svg", server.qr),
        Route("/picture/{scene_id}", server.picture),
        Route("/favicon.ico", server.icon),
        Route("/teacher/login", server.teacher_login),
        Route("/teacher/login", server.teacher_password, methods=["POST"]),
        Route("/teacher", server.dashboard),
        Route("/teacher/live", server.dashboard),
        Route("/teacher/projector", server.projector),
        Route("/teacher/projector/live", server.projector),
        Route("/teacher/reveal", server.reveal, methods=["POST"]),
        Route("/teacher/joining", server.joining, methods=["POST"]),
        Route("/teacher/end", server.end, methods=["POST"]),
        Route("/teacher/reset", server.reset, methods=["POST"]),
        Route("/teacher/class-report.html", server.report),
        Route("/teacher/class-report.csv", server.report),
        Route("/teacher/records.zip", server.records_zip),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={HTTPException: error_page, Exception: error_page},
    )


def read_picture(path: str) -> tuple[bytes, str] | None:
    """A picture's bytes and content type, or None when it is no longer a PNG or JPEG within
    the limits (its header read first, then at most IMAGE_BYTES_LIMIT bytes)."""
    try:
        header = read_header(path)
        return read_limited(Path(path), IMAGE_BYTES_LIMIT), header.content_type
    except (ImageProblem, Refused, OSError):
        return None
