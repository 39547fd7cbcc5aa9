#!/usr/bin/env python3
"""Benchmark of the student answer endpoint under 64 concurrent students against a bare SQL upsert.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench_submissions python bench/student_submissions.py \\
        [--clients 64] [--duration 30] [--warmup 5] [--workers 2] [--threads 8] [--keep]

1. (Re)creates the database named in ``DATABASE_URL``, migrates and seeds a small national data set
   (``--fraction 0.002``: every region, ≈7,400 children). Opens a campaign (asq, phq_a, gad7) through
   ``screening.actions`` and puts ``--students`` children (default 60 per client) in it with one
   ``COPY``, consent granted. Every participant is started with ``actions.start_with_code`` (as the
   first POST of the code does: the three responses exist), so each student's response ids and
   plausible answers (``_screening.AnswerMaker``, about 20 per student) are known ahead. Not timed.
2. Serves the app with gunicorn on loopback (``qorgau.wsgi``, ``--workers`` processes × ``--threads``
   threads, gthread; QORGAU_DEBUG=0, cookies not ``Secure`` since loopback has no TLS). PostgreSQL,
   gunicorn and this client share the machine's cores. Default 2 × 8: one process per core (Python
   holds the GIL), threads to overlap each request's database round trips. On 2 cores, 3 × 4 did the
   same within the run-to-run noise: the cores, not the worker layout, are the bottleneck.
3. ``--clients`` simulated students (aiohttp, one cookie jar each, closed loop, no think time): for a
   new student GET ``/s/`` (the CSRF cookie), POST ``/s/`` with the code (the signed student cookie)
   and GET ``/s/survey/`` once, then POST ``/s/answer/`` (``response``, ``item``, ``value`` and the
   ``X-CSRFToken`` header) for each of the student's answers, then the next student. ``/s/next/`` is
   never called. After ``--warmup`` seconds, answers started in the next ``--duration`` seconds are
   measured: submissions per second, p50 / p95 / p99 latency, errors (non-200 or exceptions). The
   code and survey requests of new students run in the same window and are reported apart.
   Targets: ≥ 300 submissions/s, p95 < 150 ms, 0 errors.
4. The limit: the same answers as bare ``INSERT … ON CONFLICT DO UPDATE`` statements into
   ``screening_answer``, one row per statement and transaction, from ``--clients`` concurrent psycopg
   connections for the same warm-up and duration (gunicorn stopped). Prints ratio endpoint
   submissions/s ÷ bare upserts/s and one final JSON line. Drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from _screening import (
    AnswerMaker,
    bench_user,
    copy_participants,
    database_url,
    national_database,
    open_campaign,
    percentile,
)
from seed_national import REPO, drop_database
from tqdm import tqdm

TARGET_RATE = 300.0
TARGET_P95_MS = 150.0


@dataclass
class Student:
    code: str
    answers: list[tuple[int, str, str]]  # (response id, item, value as the form posts it)


@dataclass
class Window:
    """What happened in the measured window: latencies (ms) per kind of request, and the errors."""

    start: float
    end: float
    ms: dict[str, list[float]] = field(default_factory=lambda: {"answer": [], "code": [], "survey": []})
    errors: dict[str, int] = field(default_factory=lambda: {"answer": 0, "code": 0, "survey": 0})
    error_samples: list[str] = field(default_factory=list)

    def add(self, kind: str, started: float, seconds: float, ok: bool, detail: str = "") -> None:
        if not ok and len(self.error_samples) < 5:
            self.error_samples.append(f"{kind}: {detail}")
        if self.start <= started < self.end:
            self.ms[kind].append(seconds * 1000)
            if not ok:
                self.errors[kind] += 1


def latency(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 2) if values else float("nan"),
        "p95_ms": round(percentile(values, 95), 2),
        "p99_ms": round(percentile(values, 99), 2),
    }


# --- Set-up ---------------------------------------------------------------------------------------------


def started_students(url: str, campaign: Any, count: int, seed: int) -> list[Student]:
    """Participants started as by their first code entry, each with the answers it will post."""
    from screening import actions
    from screening.engine import instrument_for

    copy_participants(url, campaign, limit=count, seed=seed)
    maker = AnswerMaker(seed)
    students = []
    for participant in tqdm(list(campaign.participants.order_by("pk")), desc="start codes", mininterval=0.5):
        actions.start_with_code(participant.code)
        by_code = {instrument_for(r.instrument_id).code: r.pk for r in actions.open_responses(participant)}
        answers = [
            (by_code[code], item, str(value))
            for code, given in zip(("asq", "phq_a", "gad7"), maker.student(), strict=True)
            for item, value in given.items()
        ]
        students.append(Student(participant.code, answers))
    return students


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn serving the app on loopback; returns once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "qorgau.settings",
        "QORGAU_DEBUG": "0",
        "QORGAU_ALLOWED_HOSTS": "127.0.0.1",
        "QORGAU_SECRET_KEY": secrets.token_urlsafe(50),
        "QORGAU_SECURE_COOKIES": "0",  # plain HTTP on loopback: a Secure cookie would never come back
    }
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"),
        "qorgau.wsgi",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=REPO / "qorgau", env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/s/", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


# --- Load -----------------------------------------------------------------------------------------------


def student_stream(students: list[Student]) -> Iterator[Student]:
    """Each student once, then (if the run outlasts them) again: a second pass re-saves the same answers."""
    return itertools.cycle(students)


async def endpoint_load(base: str, students: list[Student], clients: int, warmup: float, duration: float) -> Window:
    import aiohttp

    stream = student_stream(students)
    now = time.perf_counter()
    window = Window(start=now + warmup, end=now + warmup + duration)
    timeout = aiohttp.ClientTimeout(total=30)

    async def call(session: Any, kind: str, method: str, path: str, expected: int = 200, **kw: Any) -> tuple[int, str]:
        started = time.perf_counter()
        try:
            async with session.request(method, base + path, allow_redirects=False, **kw) as reply:
                body = await reply.text()
                ok = reply.status == expected
                window.add(kind, started, time.perf_counter() - started, ok, f"{reply.status} {body[:120]}")
                return reply.status, body
        except (aiohttp.ClientError, TimeoutError) as exc:
            window.add(kind, started, time.perf_counter() - started, False, repr(exc))
            return 0, ""

    async def client() -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP address host (loopback)
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as session:
            while time.perf_counter() < window.end:
                student = next(stream)
                jar.clear()
                await call(session, "code", "GET", "/s/")
                token = {c.key: c.value for c in jar}.get("csrftoken", "")
                await call(
                    session, "code", "POST", "/s/", 302, data={"code": student.code}, headers={"X-CSRFToken": token}
                )
                await call(session, "survey", "GET", "/s/survey/")
                token = {c.key: c.value for c in jar}.get("csrftoken", token)
                for response, item, value in student.answers:
                    if time.perf_counter() >= window.end:
                        break
                    await call(
                        session,
                        "answer",
                        "POST",
                        "/s/answer/",
                        data={"response": str(response), "item": item, "value": value, "lang": "kk"},
                        headers={"X-CSRFToken": token},
                    )

    await asyncio.gather(*(client() for _ in range(clients)))
    return window


async def bare_load(url: str, students: list[Student], clients: int, warmup: float, duration: float) -> Window:
    import psycopg
    from psycopg.types.json import Jsonb

    answers = itertools.cycle([a for s in students for a in s.answers])
    now = time.perf_counter()
    window = Window(start=now + warmup, end=now + warmup + duration)
    upsert = (
        "INSERT INTO screening_answer (response_id, item, value, answered_at) VALUES (%s, %s, %s, now()) "
        "ON CONFLICT (response_id, item) DO UPDATE SET value = EXCLUDED.value, answered_at = EXCLUDED.answered_at"
    )

    async def client() -> None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            while time.perf_counter() < window.end:
                response, item, value = next(answers)
                stored = int(value) if value.isdigit() else value
                started = time.perf_counter()
                try:
                    await conn.execute(upsert, (response, item, Jsonb(stored)))
                    ok, detail = True, ""
                except psycopg.Error as exc:
                    ok, detail = False, repr(exc)
                window.add("answer", started, time.perf_counter() - started, ok, detail)

    await asyncio.gather(*(client() for _ in range(clients)))
    return window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds (default 30)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring (default 5)")
    parser.add_argument("--students", type=int, default=0, help="participants (default 60 per client)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=8, help="threads per process (default 8)")
    parser.add_argument("--fraction", type=float, default=0.002, help="share of the national seed (default 0.002)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    url = database_url("qorgau_bench_submissions")
    national_database(url, fraction=args.fraction, reuse=False, seed=args.seed, progress=False)
    server = None
    try:
        from django.db import connections

        from core.roles import Role

        user = bench_user("bench.cpp", Role.CPP_SPECIALIST)
        campaign = open_campaign(user, "Bench: student submissions")
        students = started_students(url, campaign, args.students or 60 * args.clients, args.seed)
        connections.close_all()
        answers_per_student = statistics.mean(len(s.answers) for s in students)

        port = free_port()
        server = serve(url, port, args.workers, args.threads)
        print(
            f"load: {args.clients} clients, {args.warmup:.0f} s warm-up, {args.duration:.0f} s measured …",
            file=sys.stderr,
        )
        app = asyncio.run(endpoint_load(f"http://127.0.0.1:{port}", students, args.clients, args.warmup, args.duration))
        server.terminate()
        server.wait(30)
        server = None
        bare = asyncio.run(bare_load(url, students, args.clients, args.warmup, args.duration))

        rate = len(app.ms["answer"]) / args.duration
        bare_rate = len(bare.ms["answer"]) / args.duration
        ratio = rate / bare_rate
        answers = latency(app.ms["answer"])
        errors = sum(app.errors.values())
        met = {
            "rate": rate >= TARGET_RATE,
            "p95": answers["p95_ms"] < TARGET_P95_MS,
            "errors": errors == 0,
        }
        result = {
            "benchmark": "student_submissions",
            "database": url.rsplit("/", 1)[-1],
            "clients": args.clients,
            "gunicorn": f"{args.workers} workers × {args.threads} threads (gthread)",
            "students": len(students),
            "answers_per_student": round(answers_per_student, 1),
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "submissions_per_s": round(rate, 1),
            "answer_latency": answers,
            "code_latency": latency(app.ms["code"]),
            "survey_latency": latency(app.ms["survey"]),
            "errors": app.errors,
            "error_samples": app.error_samples,
            "bare_upserts_per_s": round(bare_rate, 1),
            "bare_latency": latency(bare.ms["answer"]),
            "bare_errors": bare.errors["answer"],
            "ratio_endpoint_to_bare": round(ratio, 3),
            "targets": {"submissions_per_s": TARGET_RATE, "p95_ms": TARGET_P95_MS, "errors": 0},
            "targets_met": met,
        }
        print(
            f"student answers: {args.clients} concurrent students, gunicorn {result['gunicorn']}, "
            f"{len(students):,} students × {answers_per_student:.1f} answers"
        )
        print(
            f"  POST /s/answer/: {rate:,.0f} submissions/s over {args.duration:.0f} s "
            f"(target ≥ {TARGET_RATE:.0f}: {'met' if met['rate'] else 'MISSED'}); "
            f"p50 {answers['p50_ms']:.1f} ms, p95 {answers['p95_ms']:.1f} ms "
            f"(target < {TARGET_P95_MS:.0f}: {'met' if met['p95'] else 'MISSED'}), p99 {answers['p99_ms']:.1f} ms; "
            f"errors {errors} (target 0: {'met' if met['errors'] else 'MISSED'})"
        )
        print(
            f"  new students in the window: {result['code_latency']['n']:,} code requests "
            f"(p95 {result['code_latency']['p95_ms']:.1f} ms), {result['survey_latency']['n']:,} survey pages "
            f"(p95 {result['survey_latency']['p95_ms']:.1f} ms)"
        )
        if app.error_samples:
            print(f"  first errors: {app.error_samples}")
        print(
            f"  limit: bare INSERT … ON CONFLICT DO UPDATE from {args.clients} connections: {bare_rate:,.0f} upserts/s "
            f"(p95 {result['bare_latency']['p95_ms']:.1f} ms); ratio endpoint / bare: {ratio:.3f}"
        )
        print(json.dumps(result))
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
