"""./shouwen, run as an operator would."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import GUANGDONG, NAMES, ROOT, need_shared


def shouwen(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "shouwen"), *args], capture_output=True, text=True, input=stdin, timeout=120)


def test_validate_passes_on_sample_and_reports_coverage():
    out = shouwen("catalog", "validate")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "一次性告知 coverage" in out.stdout and out.stdout.rstrip().endswith("OK")


def test_validate_json_figures_meet_the_sample_goals():
    figures = json.loads(shouwen("catalog", "validate", "--json").stdout)
    assert figures["ok"]
    assert figures["matters"] >= 150
    assert figures["departments_of_matters"] >= 25
    assert figures["matters_with_cases"] >= 40
    assert figures["packages"] >= 10
    assert figures["halls"] >= 5
    assert figures["directory"] >= 40
    assert figures["complete"] == figures["matters"]


def test_validate_fails_on_a_broken_catalog(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"format": "shouwen-catalog/1", "matters": [{"id": "A", "name": "x", "department": "d", "colour": 1}]}
        )
    )
    out = shouwen("catalog", "validate", str(bad))
    assert out.returncode == 1
    assert "colour" in out.stdout and "Traceback" not in out.stdout + out.stderr


def test_show_prints_matter_and_card():
    out = shouwen("catalog", "show", "LJ-GA-001")
    assert out.returncode == 0
    assert "一次性告知" in out.stdout


def test_show_unknown_id_is_a_clear_error():
    out = shouwen("catalog", "show", "NO-SUCH-ID")
    assert out.returncode == 2 and "NO-SUCH-ID" in out.stderr and "Traceback" not in out.stderr


def test_import_guangdong_then_validate_and_stats(tmp_path: Path):
    src = need_shared(GUANGDONG)
    out_file = tmp_path / "gd.json"
    out = shouwen("catalog", "import", "--from", "gdzwfw", str(src), "-o", str(out_file))
    assert out.returncode == 0, out.stderr
    assert "2262" in out.stdout
    val = shouwen("catalog", "validate", str(out_file), "--allow-incomplete")
    assert val.returncode == 0, val.stdout[-2000:]
    assert "matters: 2262" in val.stdout
    assert shouwen("catalog", "stats", str(out_file)).returncode == 0


def test_import_names(tmp_path: Path):
    src = need_shared(NAMES)
    out = shouwen("catalog", "import", "--from", "names", str(src), "-o", str(tmp_path / "ga.json"))
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b'{"TASK_CODE": "1", "TASK_NAME": "a", "DEPT_NAME": "b"}\n{broken\n', ":2"),
        (
            "\n".join(['{"TASK_CODE": "1", "TASK_NAME": "a", "DEPT_NAME": "b"}'] * 1 + ['{"TASK_NAME": "c"}']).encode(),
            ":2",
        ),
        ('{"TASK_CODE": "1", "TASK_NAME": "办", "DEPT_NAME": "b"}'.encode("gb18030"), "UTF-8"),
    ],
)
def test_import_bad_input_names_the_line_and_writes_nothing(tmp_path: Path, content: bytes, needle: str):
    src = tmp_path / "in.jsonl"
    src.write_bytes(content)
    out_file = tmp_path / "out.json"
    out = shouwen("catalog", "import", "--from", "gdzwfw", str(src), "-o", str(out_file))
    assert out.returncode == 2
    assert needle in out.stderr and "Traceback" not in out.stderr
    assert not out_file.exists()
    assert list(tmp_path.iterdir()) == [src]
