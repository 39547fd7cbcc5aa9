#!/usr/bin/env python3
"""Qorgau's two set-up commands; needs nothing but Python 3.11.

    python3 dev.py demo   install, migrate, load the demo data and serve it at http://127.0.0.1:8000
    python3 dev.py test   install and run the whole test suite (set DATABASE_URL for PostgreSQL)

Everything lives in ./.venv and ./var; nothing outside the checkout is touched.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
STAMP = VENV / ".installed"


def run(*args: str | Path, **kwargs: object) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)  # type: ignore[call-overload]


def install() -> None:
    """Create the virtual environment and install the pinned dependencies (skipped when unchanged)."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Qorgau needs Python 3.11 (this is {sys.version.split()[0]}).")
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]")
    STAMP.write_text(digest)


def manage(*args: str) -> None:
    run(PY, ROOT / "qorgau" / "manage.py", *args, cwd=ROOT)


def demo() -> None:
    install()
    manage("migrate", "--noinput")
    manage("seed_demo", "--scale", "small", "--if-empty")
    print("\nQorgau is at http://127.0.0.1:8000 (Ctrl+C stops it).\n", flush=True)
    manage("runserver", "127.0.0.1:8000", "--insecure")


def test(extra: list[str]) -> None:
    install()
    where = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"== Qorgau tests on {where}", flush=True)
    run(PY, "-m", "ruff", "check", "qorgau", "bench", "dev.py", cwd=ROOT)
    run(PY, "-m", "mypy", "qorgau", cwd=ROOT)
    run(PY, "-m", "pytest", "-q", "-n", "2", *extra, cwd=ROOT)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "install"}:
        sys.exit(__doc__)
    command = sys.argv[1]
    try:
        if command == "demo":
            demo()
        elif command == "test":
            test(sys.argv[2:])
        else:
            install()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
