"""A wheel built from the repository carries the questionnaires and data and finds them
when installed somewhere else (not next to the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_installs_questionnaires_and_data(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, cwd=tmp_path)
    wheel = next(wheels.glob("ozgkompass-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("ozgkompass/questionnaires/ozg-kommune.yaml",
                     "ozgkompass/questionnaires/schnellcheck.yaml",
                     "ozgkompass/questionnaires/examples/stadt-falkenberg.answers.yaml",
                     "ozgkompass/data/models/reifegrad-1.1.yaml",
                     "ozgkompass/data/models/reifegrad-2.0.yaml",
                     "ozgkompass/data/catalogues/kommunal.yaml",
                     "ozgkompass/data/schemas/questionnaire.schema.json",
                     "ozgkompass/reports/templates/observed.html.j2"):
        assert expected in names, expected
    # every subpackage of the source tree is in the wheel (pyproject lists them one by one)
    for init in sorted((ROOT / "ozgkompass").rglob("__init__.py")):
        rel = init.relative_to(ROOT).as_posix()
        assert rel in names, f"{rel} fehlt im Wheel: Paket in pyproject.toml eintragen"
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(target), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c",
         "import ozgkompass, sys\n"
         "from ozgkompass.model.registry import list_questionnaires\n"
         "assert ozgkompass.__file__.startswith(sys.argv[1]), ozgkompass.__file__\n"
         "print(sorted(e.questionnaire.id for e in list_questionnaires()))",
         str(target)],
        check=True, capture_output=True, text=True, cwd=elsewhere, env=env)
    assert out.stdout.strip() == "['ozg-kommune', 'schnellcheck']"
