"""The quick metadata test agrees with jsonschema: valid says valid, and every broken copy goes to jsonschema."""

import copy
import json

import jsonschema
import pytest
from project_files import SHIPPED

from budgetkit.dataset.schema_fast import is_valid
from budgetkit.dataset.store import _schema


def _meta():
    return json.loads((SHIPPED / "metadata.json").read_text(encoding="utf-8"))


def test_shipped_metadata_is_valid_without_jsonschema():
    assert is_valid(_meta(), _schema())


BREAKS = [
    lambda m: m.pop("year"),
    lambda m: m.update(year=1800),
    lambda m: m.update(year="2024"),
    lambda m: m.update(year=True),
    lambda m: m.update(format="budgetkit-dataset/2"),
    lambda m: m.update(slug="Has Spaces"),
    lambda m: m.update(template=""),
    lambda m: m["source"].update(sha256="abc"),
    lambda m: m["source"].update(kind="word"),
    lambda m: next(iter(m["tables"].values())).update(unit="千元"),
    lambda m: next(iter(m["tables"].values())).update(decimals=9),
    lambda m: next(iter(m["tables"].values())).update(files={"main": 3}),
    lambda m: m["narrative"]["sentence_lines"].append([1]),
    lambda m: m["narrative"]["sentence_lines"].append(["a", 2]),
    lambda m: m["narrative"]["parts"].append([1, 2]),
    lambda m: m.update(cover=[1]),
    lambda m: m.update(blank="no"),
]


@pytest.mark.parametrize("i", range(len(BREAKS)))
def test_broken_metadata_goes_to_jsonschema(i):
    meta = copy.deepcopy(_meta())
    BREAKS[i](meta)
    assert not is_valid(meta, _schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(meta, _schema())


def test_unknown_keyword_is_left_to_jsonschema():
    assert not is_valid({"a": 1}, {"type": "object", "patternProperties": {"a": {"type": "string"}}})
