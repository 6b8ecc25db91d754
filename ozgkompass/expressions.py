"""The small, safe language of `when` conditions.

A hand-written tokenizer and recursive-descent parser produce a tiny AST that is evaluated
against a dict of answers. Nothing is ever passed to Python's `eval`. Grammar:

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (OP operand)?          OP: == != < <= > >= in contains
    operand := NAME | STRING | NUMBER | true | false | "[" literals "]" | "(" expr ")"
             | "answered" "(" NAME ")"

A question without a value (open, "trifft nicht zu", hidden) makes every comparison false.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50  # nested parentheses / `not`s


class ExpressionError(ValueError):
    """A condition that cannot be parsed; `column` is 1-based within the expression."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_.-]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "contains", "true", "false", "answered"}


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, op, name, keyword, end
    value: Any
    column: int


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Bedingung ist länger als {MAX_LENGTH} Zeichen.", 1)
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + (len(text[pos:]) - len(text[pos:].lstrip())) + 1
            raise ExpressionError(f"Unerwartetes Zeichen {text[col - 1]!r}.", col)
        kind = m.lastgroup or ""
        raw = m.group(kind)
        col = m.start(kind) + 1
        if kind == "number":
            value: Any = float(raw) if "." in raw else int(raw)
        elif kind == "string":
            value = re.sub(r"\\(.)", r"\1", raw[1:-1])
        elif kind == "name" and raw in _KEYWORDS:
            kind, value = "keyword", raw
        else:
            value = raw
        tokens.append(Token(kind, value, col))
        pos = m.end()
    tokens.append(Token("end", None, len(text) + 1))
    return tokens


# AST nodes are tuples: ("or", a, b) ("and", a, b) ("not", a) ("cmp", op, left, right)
# ("ref", name, column) ("lit", value) ("answered", name, column)
Node = tuple[Any, ...]


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def accept(self, kind: str, value: Any = None) -> Token | None:
        tok = self.peek()
        if tok.kind == kind and (value is None or tok.value == value):
            self.i += 1
            return tok
        return None

    def expect(self, kind: str, value: Any, what: str) -> Token:
        tok = self.accept(kind, value)
        if tok is None:
            raise ExpressionError(f"{what} erwartet, gefunden: {_describe(self.peek())}.",
                                  self.peek().column)
        return tok

    def parse(self) -> Node:
        node = self.expr()
        if self.peek().kind != "end":
            raise ExpressionError(
                f"Unerwartet: {_describe(self.peek())}. Fehlt `and`/`or` oder ein Operator?",
                self.peek().column)
        return node

    def expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"Bedingung ist zu tief verschachtelt (mehr als {MAX_DEPTH} "
                                  "Ebenen); vereinfachen.", self.peek().column)
        try:
            return self._expr()
        finally:
            self.depth -= 1

    def _expr(self) -> Node:
        node = self.conj()
        while self.accept("keyword", "or"):
            node = ("or", node, self.conj())
        return node

    def conj(self) -> Node:
        node = self.neg()
        while self.accept("keyword", "and"):
            node = ("and", node, self.neg())
        return node

    def neg(self) -> Node:
        if self.accept("keyword", "not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError("Bedingung ist zu tief verschachtelt; vereinfachen.",
                                      self.peek().column)
            try:
                return ("not", self.neg())
            finally:
                self.depth -= 1
        return self.compare()

    def compare(self) -> Node:
        left = self.operand()
        tok = self.peek()
        if tok.kind == "op" and tok.value in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return ("cmp", tok.value, left, self.operand())
        if tok.kind == "keyword" and tok.value in ("in", "contains"):
            self.take()
            return ("cmp", tok.value, left, self.operand())
        if tok.kind == "keyword" and tok.value == "not":
            # "x not in [...]"
            nxt = self.tokens[self.i + 1]
            if nxt.kind == "keyword" and nxt.value == "in":
                self.i += 2
                return ("not", ("cmp", "in", left, self.operand()))
        return left

    def operand(self) -> Node:
        tok = self.take()
        if tok.kind == "name":
            return ("ref", tok.value, tok.column)
        if tok.kind in ("number", "string"):
            return ("lit", tok.value)
        if tok.kind == "keyword" and tok.value in ("true", "false"):
            return ("lit", tok.value == "true")
        if tok.kind == "keyword" and tok.value == "answered":
            self.expect("op", "(", "`(`")
            name = self.take()
            if name.kind != "name":
                raise ExpressionError("Nach `answered(` wird eine Fragen-ID erwartet.",
                                      name.column)
            self.expect("op", ")", "`)`")
            return ("answered", name.value, name.column)
        if tok.kind == "op" and tok.value == "(":
            node = self.expr()
            self.expect("op", ")", "`)`")
            return node
        if tok.kind == "op" and tok.value == "[":
            items: list[Any] = []
            if not self.accept("op", "]"):
                while True:
                    item = self.take()
                    if item.kind in ("number", "string"):
                        items.append(item.value)
                    elif item.kind == "keyword" and item.value in ("true", "false"):
                        items.append(item.value == "true")
                    else:
                        raise ExpressionError(
                            f"In einer Liste sind nur Texte und Zahlen erlaubt, gefunden: "
                            f"{_describe(item)}.", item.column)
                    if self.accept("op", "]"):
                        break
                    self.expect("op", ",", "`,` oder `]`")
            return ("lit", tuple(items))
        raise ExpressionError(f"Wert oder Fragen-ID erwartet, gefunden: {_describe(tok)}.",
                              tok.column)


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "Ende der Bedingung"
    return f"`{tok.value}`" if tok.kind != "string" else f'"{tok.value}"'


@dataclass(frozen=True)
class Condition:
    """A parsed condition: its source text, AST and the question ids it reads."""

    source: str
    ast: Node

    def references(self) -> list[tuple[str, int]]:
        """Question ids the condition reads, with their column."""
        found: list[tuple[str, int]] = []
        _collect_refs(self.ast, found)
        return found

    def compared_values(self) -> list[tuple[str, Any, int]]:
        """(question id, literal compared with it, column) pairs, to check choice values."""
        found: list[tuple[str, Any, int]] = []
        _collect_comparisons(self.ast, found)
        return found

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        """`values` holds answers by question id; a missing key means "no value"."""
        return bool(_eval(self.ast, values))


def parse(text: str) -> Condition:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("Bedingung ist leer.", 1)
    ast = _Parser(text).parse()
    _check_boolean(ast)
    return Condition(text, ast)


def _check_boolean(node: Node) -> None:
    """A bare question id or text is not a condition: say `x == "ja"` or `answered(x)`."""
    kind = node[0]
    if kind in ("or", "and"):
        _check_boolean(node[1])
        _check_boolean(node[2])
    elif kind == "not":
        _check_boolean(node[1])
    elif kind == "ref":
        raise ExpressionError(
            f"`{node[1]}` allein ist keine Bedingung: einen Vergleich schreiben, z. B. "
            f'`{node[1]} == "ja"`, oder `answered({node[1]})`.', node[2])
    elif kind == "lit" and not isinstance(node[1], bool):
        raise ExpressionError("Ein Wert allein ist keine Bedingung; ein Vergleich fehlt.", 1)


def _collect_refs(node: Node, out: list[tuple[str, int]]) -> None:
    kind = node[0]
    if kind in ("ref", "answered"):
        out.append((node[1], node[2]))
    elif kind in ("or", "and"):
        _collect_refs(node[1], out)
        _collect_refs(node[2], out)
    elif kind == "not":
        _collect_refs(node[1], out)
    elif kind == "cmp":
        _collect_refs(node[2], out)
        _collect_refs(node[3], out)


def _collect_comparisons(node: Node, out: list[tuple[str, Any, int]]) -> None:
    kind = node[0]
    if kind in ("or", "and"):
        _collect_comparisons(node[1], out)
        _collect_comparisons(node[2], out)
    elif kind == "not":
        _collect_comparisons(node[1], out)
    elif kind == "cmp":
        left, right = node[2], node[3]
        if left[0] == "ref" and right[0] == "lit":
            vals = right[1] if isinstance(right[1], tuple) else (right[1],)
            for v in vals:
                out.append((left[1], v, left[2]))


_MISSING = object()


def _eval(node: Node, values: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "or":
        return bool(_eval(node[1], values)) or bool(_eval(node[2], values))
    if kind == "and":
        return bool(_eval(node[1], values)) and bool(_eval(node[2], values))
    if kind == "not":
        return not bool(_eval(node[1], values))
    if kind == "lit":
        return node[1]
    if kind == "ref":
        value = values.get(node[1], _MISSING)
        return _MISSING if value is None else value
    if kind == "answered":
        return values.get(node[1]) is not None
    if kind == "cmp":
        op, left, right = node[1], _eval(node[2], values), _eval(node[3], values)
        if left is _MISSING or right is _MISSING:
            return False
        return _compare(op, left, right)
    raise AssertionError(kind)  # pragma: no cover


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


def _compare(op: str, left: Any, right: Any) -> bool:
    left, right = _norm(left), _norm(right)
    try:
        if op == "==":
            return bool(left == right)
        if op == "!=":
            return bool(left != right)
        if op == "in":
            return isinstance(right, tuple) and left in right
        if op == "contains":
            return isinstance(left, tuple) and right in left
        if isinstance(left, bool) or isinstance(right, bool):
            return False
        if not (isinstance(left, int | float) and isinstance(right, int | float)):
            return False
        return {"<": left < right, "<=": left <= right, ">": left > right,
                ">=": left >= right}[op]
    except TypeError:
        return False
