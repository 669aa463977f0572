"""YAML that remembers where each value was written, so errors can name the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Located:
    """A plain Python value (str, int, float, bool, None, list, dict of Located) and its line."""

    value: Any
    line: int

    def plain(self) -> Any:
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlError(line, f"YAML syntax error: {exc.problem or exc.context}") from None
    if node is None:
        return Located({}, first_line)
    return _convert(node, first_line)


def _convert(node: yaml.Node, first_line: int) -> Located:
    line = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            value = _convert(value_node, first_line)
            if key in mapping:
                raise YamlError(first_line + key_node.start_mark.line, f"`{key}` is given twice")
            mapping[key] = Located(value.value, first_line + key_node.start_mark.line)
        return Located(mapping, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(item, first_line) for item in node.value], line)
    return Located(_scalar(node), line)


def _scalar(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
