"""The web fidelity corpus: realistic API scripts, each run in seqflow and in Node 20 with the same answers.

Every ``tests/web_corpus/NAME.js`` is a script (an async function body whose
``return`` is the result) and ``NAME.json``, if present, the list of answers its
fetches get (see :mod:`webcompare`). Adding a script is dropping those files in
the folder. The result, the console output and every request sent (method, URL,
headers, body) must be the same in both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from webcompare import NODE, run_node, run_seqflow

CORPUS = Path(__file__).with_name("web_corpus")
SCRIPTS = sorted(CORPUS.glob("*.js"))


def answers_of(script: Path) -> list[dict[str, object]]:
    """The script's answers file, or none."""
    answers = script.with_suffix(".json")
    return json.loads(answers.read_text(encoding="utf-8")) if answers.exists() else []


def test_the_corpus_is_large_enough() -> None:
    assert len(SCRIPTS) >= 30


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_runs_in_seqflow(script: Path) -> None:
    """Without node the scripts still run to completion (no host error, no deadlock)."""
    outcome = run_seqflow(script.read_text(encoding="utf-8"), answers_of(script))
    assert "result" in outcome, outcome.get("error")


@pytest.mark.skipif(NODE is None, reason="node (the oracle) is not installed")
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_matches_node(script: Path) -> None:
    code, answers = script.read_text(encoding="utf-8"), answers_of(script)
    ours, theirs = run_seqflow(code, answers), run_node(code, answers)
    assert ours == theirs
