"""The export passes the Department's validation rules: the `csc-validator-be-cin` package runs
over a census exported from the demo data and finds no error in any rule that concerns section
47 enquiries, conferences or child protection plans.

The validator pins pandas below 2 (and so numpy below 2), which the project's environment does
not, so it lives in its own virtualenv, `.venv-cin-validator` at the repository root, made by
the session fixture below on first use (with uv if the project has it, else pip), and is run
in a subprocess.
"""

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from census.export import census_xml_chunks
from census.xml_schema import ruleset_name
from devdata.demo.load import load_demo_data

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv-cin-validator"
PACKAGES = ["csc-validator-be-cin==0.1.13", "numpy<2", "pytest"]  # its CLI imports pytest
INSTALL_TIMEOUT = 600

# The rules about section 47 enquiries, initial conferences and child protection plans: those
# whose module is Section47, ChildProtectionPlans or Reviews, or whose affected fields include
# a date or code of those modules (DateOfInitialCPC, S47*, ICPC*, CPP*, categories, reviews).
PLAN_MODULES = {"Section47", "ChildProtectionPlans", "Reviews"}
PLAN_FIELDS = {
    "S47ActualStartDate",
    "InitialCPCtarget",
    "DateOfInitialCPC",
    "ICPCnotRequired",
    "CPPstartDate",
    "CPPendDate",
    "InitialCategoryOfAbuse",
    "LatestCategoryOfAbuse",
    "NumberOfPreviousCPP",
    "CPPreviewDate",
}
CONSIDERED = {
    # Section 47 enquiries and initial conferences
    "1104", "2884", "2889", "8615", "8675Q", "8715", "8740", "8831", "8839", "8868",
    "8870Q", "8875", "8890",
    # Child protection plans and their reviews
    "1105", "2883", "2885", "4001", "4003", "4016", "4017", "8565", "8720", "8730", "8832",
    "8840", "8841", "8842Q", "8905", "8910", "8915", "8920", "8925", "8930", "8935", "8940",
}  # fmt: skip

RUNNER = r"""
import contextlib, importlib, io, json, sys
import xml.etree.ElementTree as ET
from cin_validator import cin_validator

path, ruleset = sys.argv[1], sys.argv[2]
data = cin_validator.process_data(cin_validator.convert_data(ET.parse(path).getroot()))
registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    validator = cin_validator.CinValidator(data, registry)
issues = validator.full_issue_df
print(json.dumps({
    "rules": {
        str(rule.code): {
            "type": rule.rule_type.name,
            "module": rule.module.name,
            "fields": [str(f) for f in rule.affected_fields if isinstance(f, str)],
        }
        for rule in registry.values()
    },
    "crashed": [line for line in printed.getvalue().splitlines() if line.startswith("Error with rule")],
    "issues": [
        {"rule": str(row["rule_code"]), "child": str(row["child_id"]),
         "table": str(row["tables_affected"]), "field": str(row["columns_affected"])}
        for _, row in issues.iterrows()
    ],
    "return_level": sorted({str(code) for code in validator.multichild_issues["rule_code"]}),
}))
"""


def _ready(python: Path) -> bool:
    if not python.exists():
        return False
    check = [str(python), "-c", "import cin_validator.cin_validator, pytest"]
    return subprocess.run(check, capture_output=True, check=False).returncode == 0  # noqa: S603


@pytest.fixture(scope="session")
def validator_python() -> Path:
    """The validator's own interpreter, installing it the first time."""
    python = VENV / "bin" / "python"
    if _ready(python):
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)  # noqa: S603
    uv = shutil.which("uv") or str(ROOT / ".venv" / "bin" / "uv")
    if Path(uv).exists():
        command = [uv, "pip", "install", "--python", str(python), *PACKAGES]
    else:
        command = [str(python), "-m", "pip", "install", "--quiet", *PACKAGES]
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )
    if result.returncode != 0 or not _ready(python):
        pytest.fail(f"could not install the CIN validator into {VENV}:\n{result.stderr[-3000:]}")
    return python


def validate(python: Path, path: Path, year: int) -> dict:
    result = subprocess.run(  # noqa: S603
        [str(python), "-c", RUNNER, str(path), ruleset_name(year)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def reviews_one_per_group(source: Path, target: Path) -> None:
    """The same file with each CPPreviewDate in a Reviews group of its own. DfE puts them all
    in one group, but this validator reads only the first date of each group; split, every
    review date is checked."""
    tree = etree.parse(str(source))
    for group in tree.iter("Reviews"):
        plan, dates = group.getparent(), list(group)
        for extra in dates[1:]:
            new = etree.SubElement(plan, "Reviews")
            new.append(extra)
    tree.write(str(target), encoding="utf-8", xml_declaration=True)


def considered(rules: dict) -> set[str]:
    return {
        code
        for code, rule in rules.items()
        if rule["module"] in PLAN_MODULES or PLAN_FIELDS & set(rule["fields"])
    }


def _report(year: int, result: dict) -> str:
    lines = [f"census {year}, ruleset {ruleset_name(year)}: {len(result['rules'])} rules"]
    counted: dict[str, int] = {}
    for issue in result["issues"]:
        counted[issue["rule"]] = counted.get(issue["rule"], 0) + 1
    for code, count in sorted(counted.items()):
        kind = result["rules"][code]["type"]
        lines.append(f"  {code} ({kind}): {count} location(s)")
    lines += [f"  {code}: return level" for code in result["return_level"]]
    lines += [f"  {line}" for line in result["crashed"]]
    return "\n".join(lines)


def _assert_passes(python: Path, exported: Path, year: int, tmp_path: Path) -> None:
    """No error from a rule about enquiries, conferences or plans; in fact no error at all."""
    split = tmp_path / f"{exported.stem}-reviews-split.xml"
    reviews_one_per_group(exported, split)
    for path in (exported, split):
        result = validate(python, path, year)
        print(_report(year, result))
        assert considered(result["rules"]) == CONSIDERED
        kinds = {code: rule["type"] for code, rule in result["rules"].items()}
        errors = [i for i in result["issues"] if kinds[i["rule"]] == "ERROR"]
        assert [i for i in errors if i["rule"] in CONSIDERED] == []
        assert not set(result["return_level"]) & CONSIDERED
        crashed = [line.split()[3].rstrip(":") for line in result["crashed"]]
        assert not set(crashed) & CONSIDERED, result["crashed"]
        # What remains are queries: 2991Q (no assessment is recorded) and 8770Q (no UPN for a
        # school-age child), which concern what this service does not hold.
        assert errors == [], errors


@pytest.mark.django_db
def test_the_export_of_the_demo_data_passes_the_plan_and_conference_rules(
    tmp_path, validator_python
):
    load_demo_data(today=date(2025, 6, 30), seed=2012, password="not-used-here", scale=0.1)
    for year in (2024, 2025):  # GenderCurrent (cin2023_24), then Sex (cin2024_25)
        exported = tmp_path / f"cin-{year}.xml"
        exported.write_bytes(b"".join(census_xml_chunks(year, lea="888")))
        assert len(etree.parse(str(exported)).findall("Children/Child")) > 40
        _assert_passes(validator_python, exported, year, tmp_path)


@pytest.mark.django_db
def test_the_export_of_the_lancashire_sample_passes_too(tmp_path, validator_python):
    call_command("load_sample", "lancashire-2011-12", stdout=io.StringIO())
    exported = tmp_path / "cin-2012.xml"
    exported.write_bytes(b"".join(census_xml_chunks(2012, lea="888")))
    assert len(etree.parse(str(exported)).findall("Children/Child")) > 1000
    _assert_passes(validator_python, exported, 2012, tmp_path)  # ruleset cin2022_23
