"""xAPI 1.0.3 statements for a learning record store (LRS): a JSON array, ready to POST.

Per session and player: ``attempted`` the scenario at the start; ``completed`` it with the team
score, success and duration when an ending was reached (``terminated`` if it was abandoned or
got stuck); ``completed`` each task the player's roles finished (``skipped`` when the
facilitator skipped it); ``failed`` each trap the player sprang, with the penalty as a negative
raw score; ``answered`` each item of the before/after knowledge check, with ``result.success``
and the phase (``pre``/``post``) in the context extension ``<base>/ext/phase``. Actors are accounts (homePage = base IRI, name = player name); activity ids are
stable IRIs under the base: ``<base>/scenario/<id>``, ``.../task/<id>``, ``.../trap/<id>``.
Statement ids are UUIDv5 of the content, so exporting twice never duplicates in the LRS.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from engine.format.scenario import Scenario
from engine.report.json_out import pretty_indent
from engine.review.learning import QuizAnswer, quiz_items
from engine.review.records import SessionMetrics
from engine.review.selection import Review

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://qingjing.invalid"
NAMESPACE = uuid.UUID("5b0c2a52-9a6e-4d1c-8f0e-6a1e5f6b7c11")

VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "skipped": "http://id.tincanapi.com/verb/skipped",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}
VERB_NAMES = {
    "attempted": "尝试",
    "completed": "完成",
    "failed": "失误",
    "terminated": "终止",
    "skipped": "跳过",
    "answered": "作答",
}
ACTIVITY_TYPES = {
    "scenario": "http://adlnet.gov/expapi/activities/simulation",
    "task": "http://adlnet.gov/expapi/activities/objective",
    "trap": "http://adlnet.gov/expapi/activities/interaction",
    "quiz": "http://adlnet.gov/expapi/activities/cmi.interaction",
}


def iso_duration(seconds: float) -> str:
    """Seconds -> ISO 8601 duration, e.g. 3725.5 -> ``PT1H2M5.5S``."""
    seconds = max(0.0, round(seconds, 2))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{int(hours)}H"
    if minutes:
        out += f"{int(minutes)}M"
    if secs or out == "PT":
        out += f"{secs:g}S"
    return out


def utc(ts: float) -> str:
    return (
        datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


@lru_cache(maxsize=4096)
def _iri(base: str, parts: tuple[str, ...]) -> str:
    return "/".join([base, *(quote(p, safe="") for p in parts)])


class _Builder:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.statements: list[dict[str, Any]] = []
        self.registration = ""
        self.team: dict[str, Any] = {}

    def iri(self, *parts: str) -> str:
        return _iri(self.base, parts)

    def agent(self, player: str) -> dict[str, Any]:
        return {"objectType": "Agent", "name": player, "account": {"homePage": self.base, "name": player}}

    def activity(
        self, sc: Scenario, kind: str, ident: str, name: str, description: str = ""
    ) -> dict[str, Any]:
        lang = sc.data.scenario.language
        iri = self.iri("scenario", sc.id) if kind == "scenario" else self.iri("scenario", sc.id, kind, ident)
        definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind], "name": {lang: name}}
        if description:
            definition["description"] = {lang: description}
        return {"objectType": "Activity", "id": iri, "definition": definition}

    def add(
        self,
        m: SessionMetrics,
        sc: Scenario,
        player: str,
        verb: str,
        obj: dict[str, Any],
        at: float,
        result: dict[str, Any] | None = None,
        role: str | None = None,
        phase: str = "",
    ) -> None:
        context: dict[str, Any] = {
            "registration": self.registration,
            "team": self.team,
            "language": sc.data.scenario.language,
            "extensions": {self.iri("ext", "session"): m.session_id},
        }
        if role:
            context["extensions"][self.iri("ext", "role")] = role
        if phase:
            context["extensions"][self.iri("ext", "phase")] = phase
        if obj["id"] != self.iri("scenario", sc.id):
            context["contextActivities"] = {
                "parent": [{"objectType": "Activity", "id": self.iri("scenario", sc.id)}]
            }
        statement: dict[str, Any] = {
            "id": "",
            "version": XAPI_VERSION,
            "actor": self.agent(player),
            "verb": {"id": VERBS[verb], "display": {"zh-Hans": VERB_NAMES[verb], "en-US": verb}},
            "object": obj,
            "context": context,
            "timestamp": utc(at),
        }
        if result is not None:
            statement["result"] = result
        key = f"{m.session_id}|{player}|{verb}|{obj['id']}|{at!r}" + (f"|{phase}" if phase else "")
        statement["id"] = str(uuid.uuid5(NAMESPACE, key))
        self.statements.append(statement)

    def session(self, m: SessionMetrics, sc: Scenario) -> None:
        scenario_obj = self.activity(sc, "scenario", sc.id, sc.title, sc.data.scenario.summary.strip())
        players = list(dict.fromkeys(m.players.values()))
        self.registration = str(uuid.uuid5(NAMESPACE, f"session/{m.session_id}"))
        self.team = {"objectType": "Group", "name": m.team, "member": [self.agent(p) for p in players]}
        roles_of = {p: [r for r, q in m.players.items() if q == p] for p in players}
        for p in players:
            self.add(m, sc, p, "attempted", scenario_obj, m.started_at, role=",".join(roles_of[p]))
        for t in m.tasks:
            if t.completed is None:
                continue
            obj = self.activity(sc, "task", t.task, t.title, sc.tasks[t.task].goal or "")
            verb = "skipped" if t.outcome == "skipped" else "completed"
            result = {
                "completion": verb == "completed",
                "score": {"raw": t.points},
                "duration": iso_duration(t.completed - t.opened),
                "response": t.outcome or "",
            }
            self.add(m, sc, t.player, verb, obj, m.started_at + t.completed, result, t.role)
        for trap in m.traps:
            obj = self.activity(sc, "trap", trap.trap, trap.title, trap.explanation)
            result = {"success": False, "score": {"raw": -trap.penalty}}
            self.add(m, sc, trap.player, "failed", obj, m.started_at + trap.at, result, trap.role)
        if m.learning is not None:
            self.answers(m, sc, m.learning.answers)
        if m.status in ("ended", "abandoned", "stuck"):
            ended = m.status == "ended"
            for p in players:
                result = {
                    "completion": ended,
                    "success": ended,
                    "score": {"raw": m.score},
                    "duration": iso_duration(m.duration),
                }
                if m.ending:
                    result["response"] = m.ending
                self.add(m, sc, p, "completed" if ended else "terminated", scenario_obj, m.ended_at, result)

    def answers(self, m: SessionMetrics, sc: Scenario, answers: list[QuizAnswer]) -> None:
        """One ``answered`` statement per answer of the knowledge check, before or after play."""
        items = quiz_items(sc)
        lang = sc.data.scenario.language
        for a in answers:
            info = items.get(a.item)
            obj = self.activity(sc, "quiz", a.item, info.question if info else a.item)
            if info is not None and info.options:
                obj["definition"]["interactionType"] = "choice"
                obj["definition"]["choices"] = [
                    {"id": str(i), "description": {lang: text}} for i, text in enumerate(info.options)
                ]
                if info.correct is not None:
                    obj["definition"]["correctResponsesPattern"] = [str(info.correct)]
            result = {"success": a.correct, "response": str(a.option)}
            self.add(m, sc, a.player, "answered", obj, a.at, result, a.role, a.phase)


def statements(review: Review, base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    builder = _Builder(base)
    for m in review.sessions:
        builder.session(m, review.scenario_of(m))
    return builder.statements


def write_xapi(review: Review, out: Path, base: str = DEFAULT_BASE) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(statements(review, base), ensure_ascii=False, indent=pretty_indent(review)) + "\n",
        encoding="utf-8",
    )
    return [out]
