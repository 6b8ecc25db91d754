"""Benchmark: time from a key press to the next prompt in the interview's arrow-key mode.

Runs `ozgkompass interview` on a generated 100-question questionnaire in a pseudo-terminal
(pexpect), presses Enter on each question and measures until the next question's prompt is
drawn (its last option on screen). Baseline in the same run: a bare questionary `select`
loop with the same questions and options in the same kind of pseudo-terminal (no saving,
no conditions).
Every interview answer is written to disk atomically (fsync included), so the figure
contains that cost. Target: median well under 50 ms and within 1.5x of the bare prompt.

Run: python benchmarks/interview_latency.py   (needs pexpect: pip install -e '.[test]')
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
N = 100
OPTIONS = [("voll", "Vollständig umgesetzt", 100), ("teil", "Teilweise umgesetzt", 50),
           ("nein", "Nicht umgesetzt", 0)]


def questionnaire() -> str:
    lines = ['format: 1', 'id: bench', 'version: "1.0.0"', 'title: Benchmark', 'areas:']
    for a in range(10):
        lines += [f"  - id: bereich_{a}", f"    title: Bereich {a}", "    questions:"]
        for q in range(10):
            n = a * 10 + q
            lines += [f"      - id: frage_{n:03d}", "        type: single_choice",
                      f"        text: Frage{n:03d} zum Stand der Umsetzung?",
                      "        options:"]
            lines += [f"          - {{value: {v}, label: {lbl}, score: {s}}}"
                      for v, lbl, s in OPTIONS]
    return "\n".join(lines) + "\n"


BARE = textwrap.dedent(f"""
    import questionary
    labels = {[lbl for _, lbl, _ in OPTIONS]!r}
    for n in range({N}):
        questionary.select(f"Frage{{n:03d}} zum Stand der Umsetzung?", choices=labels).ask()
""")


def env(home: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
            "TERM": "xterm", "HOME": home, "PROMPT_TOOLKIT_NO_CPR": "1"}


def measure(child: pexpect.spawn) -> list[float]:
    """Latency per question: Enter pressed -> text of the next question received."""
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    child.expect("Frage000")
    child.expect("Umsetzung")  # the whole question line is out
    times = []
    for n in range(1, N):
        t0 = time.perf_counter()
        child.send("\r")
        child.expect(f"Frage{n:03d}")
        # the next prompt is ready when its last option is drawn (the interview prints the
        # question text before the prompt starts, questionary draws it with the prompt)
        child.expect("Nicht umgesetzt")
        times.append(time.perf_counter() - t0)
    child.send("\r")
    return times


def interview_run(tmp: Path) -> list[float]:
    (tmp / "bench.yaml").write_text(questionnaire(), encoding="utf-8")
    child = pexpect.spawn(sys.executable, ["-m", "ozgkompass", "interview", "-q", "bench.yaml",
                                           "--kommune", "Benchmarkstadt"],
                          cwd=str(tmp), env=env(str(tmp)), encoding="utf-8", timeout=30,
                          dimensions=(40, 100))
    for prompt in ("Art der Kommune", "Regionalschl", "Land", "Kreis", "Einwohner", "Datum",
                   "Teilnehmende"):
        child.expect(prompt)
        child.send("\r")
    times = measure(child)
    child.expect("Enter schließt ab")  # the review screen: every answer was saved
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    return times


def bare_run(tmp: Path) -> list[float]:
    (tmp / "bare.py").write_text(BARE, encoding="utf-8")
    child = pexpect.spawn(sys.executable, [str(tmp / "bare.py")], cwd=str(tmp),
                          env=env(str(tmp)), encoding="utf-8", timeout=30,
                          dimensions=(40, 100))
    times = measure(child)
    child.expect(pexpect.EOF)
    return times


def summary(name: str, times: list[float]) -> float:
    med = statistics.median(times) * 1000
    p90 = sorted(times)[int(len(times) * 0.9)] * 1000
    print(f"{name:<34} median {med:6.1f} ms   p90 {p90:6.1f} ms   ({len(times)} Tasten)")
    return med


def in_process(tmp: Path) -> list[float]:
    """The interview's own work per answer, without a terminal: record, conditions, save."""
    from ozgkompass.interview.blank import new_answer_set
    from ozgkompass.interview.session import Session
    from ozgkompass.model.answers import Municipality
    from ozgkompass.model.questionnaire import load_questionnaire

    (tmp / "bench.yaml").write_text(questionnaire(), encoding="utf-8")
    qn = load_questionnaire(tmp / "bench.yaml")
    session = Session(qn, new_answer_set(qn, Municipality("Benchmarkstadt")),
                      tmp / "bench.answers.yaml")
    session.start()
    times = []
    for _ in range(N):
        t0 = time.perf_counter()
        session.set_value("teil")
        session.advance()
        times.append(time.perf_counter() - t0)
    return times


def main(rounds: int = 3) -> None:
    bare: list[float] = []
    inter: list[float] = []
    for _ in range(rounds):  # interleaved, so a busy machine weighs on both alike
        with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
            bare += bare_run(Path(d1))
            inter += interview_run(Path(d2))
    with tempfile.TemporaryDirectory() as d3:
        own = in_process(Path(d3))
    print(f"Taste -> nächste Frage, {N} Fragen, Pseudo-Terminal, {rounds} Runden "
          f"(Last: {os.getloadavg()[0]:.1f} bei {os.cpu_count()} Kernen)")
    b = summary("bare questionary.select", bare)
    i = summary("ozgkompass interview (speichert)", inter)
    summary("davon: Antwort+Bedingungen+fsync", own)
    print(f"Verhältnis interview / bare: {i / b:.2f}x   (Ziel: < 50 ms und <= 1,5x)")


if __name__ == "__main__":
    main()
