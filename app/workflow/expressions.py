"""The only expression language diagrams may use: simpleeval over the task data, never Python's eval.

Every condition, timer and message expression is checked here at publish and again before each
evaluation, so what an admin uploads can compare, combine and look up values, and nothing else: no
attribute access, no calls except FUNCTIONS, no names starting with "_", no statements.
"""
import ast
from functools import lru_cache

from simpleeval import EvalWithCompoundTypes
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine

MAX_LENGTH = 1000
FUNCTIONS = {"len": len, "str": str, "int": int, "abs": abs, "min": min, "max": max}
_ALLOWED = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not,
    ast.USub, ast.UAdd, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Compare,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.IfExp,
    ast.Subscript, ast.Slice, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Call,
)


class ExpressionError(ValueError):
    """An expression outside the language, or one that cannot be evaluated on the data it was given."""


@lru_cache(maxsize=2048)
def parse(expression):
    """The checked syntax tree of `expression` (cached: the same conditions are evaluated on every step)."""
    if not isinstance(expression, str) or not expression.strip():
        raise ExpressionError("empty expression")
    if len(expression) > MAX_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"not an expression: {error.msg}") from None
    for node in ast.walk(tree):
        _check(node)
    return tree.body


def _check(node):
    if not isinstance(node, _ALLOWED):
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression")
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        raise ExpressionError(f"the name {node.id!r} is not allowed")
    if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS
                                           and not node.keywords):
        raise ExpressionError(f"only these functions may be called: {', '.join(sorted(FUNCTIONS))}")


def evaluate(expression, names):
    """The value of `expression` with `names` (a dict) as its variables."""
    tree = parse(expression)
    evaluator = EvalWithCompoundTypes(functions=FUNCTIONS, names=dict(names), allowed_attrs={})
    try:
        return evaluator.eval(expression, previously_parsed=tree)
    except Exception as error:  # whatever the data makes of it, it is a refusal, never a crash
        raise ExpressionError(f"cannot evaluate {expression!r}: {error}") from None


class SafeEnvironment(BasePythonScriptEngineEnvironment):
    """What SpiffWorkflow calls for expressions (some call sites bypass the engine and use this directly)."""

    def evaluate(self, expression, context, external_context=None):
        return evaluate(expression, {**(external_context or {}), **context})

    def execute(self, script, context, external_context=None):
        raise ExpressionError("scripts are not allowed")

    def call_service(self, context, **kwargs):
        raise ExpressionError("service calls are not allowed")


class SafeScriptEngine(PythonScriptEngine):
    def __init__(self):
        super().__init__(environment=SafeEnvironment())

    def validate(self, expression):
        parse(expression)


SCRIPT_ENGINE = SafeScriptEngine()
