from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_ner.errors import BaselineError, SubmissionError
from fazhi_ner.yamlfile import read_yaml_mapping


def test_reads_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: crf\nseed: 0\n", encoding="utf-8")
    assert read_yaml_mapping(tmp_path / "a.yaml", BaselineError) == {"name": "crf", "seed": 0}


def test_malformed_yaml_names_file_and_line_with_the_callers_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("name: crf\nsystem: [unclosed\n", encoding="utf-8")
    with pytest.raises(SubmissionError, match=r"a\.yaml:3: malformed YAML \("):
        read_yaml_mapping(tmp_path / "a.yaml", SubmissionError)


def test_a_non_mapping_top_level_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(BaselineError, match=r"a\.yaml: expected a mapping of fields, found list"):
        read_yaml_mapping(tmp_path / "a.yaml", BaselineError, what="a mapping of fields")
