"""What the input fuzz test walks: every URL pattern with its path filled, and the parameters
each view reads (found in the source and in the forms, so a new one is fuzzed automatically)."""

from __future__ import annotations

import ast
import inspect
import itertools
from html.parser import HTMLParser
from pathlib import Path

from django import forms
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

HUGE = "99999999999999999999999"
DIGITS = ["²", "١٢", HUGE, "-1"]  # what str.isdigit() or int() let through, or overflows
ODD = [*DIGITS, "", "é", "x" * 10_000]
# Sending these would end the walk early or leave the machine: logout signs the admin out,
# and a Vault "Test" probes the configured service (OpenAI and Google default to the internet).
SKIPPED = {"logout", "admin:logout", "vault:test"}
# The admin's own query keys; `_to_field` has its own test (an empty one is a Django bug).
ADMIN_PARAMS = ["q", "o", "p", "e", "_changelist_filters", "_popup", "action",
                "_selected_action", "index", "select_across"]


def patterns(resolver=None, namespace=""):
    """(full name, pattern, view) of every named URL pattern."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from patterns(p, inner)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), p, p.callback


def kwarg_names(pattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def paths_for(name: str, pattern, samples: dict[str, list[str]]) -> list[str]:
    """The path with valid values, then with each odd value in each argument."""
    names = kwarg_names(pattern)
    if not names:
        return [reverse(name)]
    valid = {n: samples.get(n, ["1"]) for n in names}
    found: list[str] = []
    for combo in itertools.product(*(valid[n] for n in names)):
        found += _reverse(name, dict(zip(names, combo, strict=True)))
    found = found[:1] + sorted(set(found[1:]) - set(found[:1]))
    for n in names:
        for odd in ["0", "²", HUGE, "-1", "é", "nope"]:
            kwargs = {m: valid[m][0] for m in names} | {n: odd}
            found += [p for p in _reverse(name, kwargs) if p not in found]
    return found


def _reverse(name, kwargs) -> list[str]:
    try:
        return [reverse(name, kwargs=kwargs)]
    except NoReverseMatch:
        return []


class ReadsParams(ast.NodeVisitor):
    """Literal keys read from request.GET / request.POST / form.data in one module."""

    def __init__(self):
        self.keys: set[str] = set()

    @staticmethod
    def _is_query(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr in {"GET", "POST", "data", "FILES"}

    def visit_Call(self, node):  # noqa: N802 - ast's visitor protocol
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr in {"get", "getlist", "pop"}
                and self._is_query(func.value) and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            self.keys.add(node.args[0].value)
        self.generic_visit(node)

    def visit_Subscript(self, node):  # noqa: N802
        if self._is_query(node.value) and isinstance(node.slice, ast.Constant):
            self.keys.add(str(node.slice.value))
        self.generic_visit(node)

    def visit_Compare(self, node):  # noqa: N802
        if (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                and any(isinstance(op, ast.In) for op in node.ops)
                and any(self._is_query(c) for c in node.comparators)):
            self.keys.add(node.left.value)
        self.generic_visit(node)


def first_party(view) -> bool:
    module = inspect.getmodule(view)
    return bool(module and "site-packages" not in (getattr(module, "__file__", "") or ""))


def module_params(view) -> set[str]:
    """Keys the view's module reads, plus the fields of every form class it uses."""
    module = inspect.getmodule(view)
    if module is None or not getattr(module, "__file__", None):
        return set()
    if "site-packages" in module.__file__:
        return set(ADMIN_PARAMS)
    visitor = ReadsParams()
    visitor.visit(ast.parse(Path(module.__file__).read_text()))
    keys = set(visitor.keys)
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, forms.BaseForm):
            keys |= set(value.base_fields)
    return keys


class FormFields(HTMLParser):
    """name= attributes of the inputs inside each form, keyed by where the form sends them."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.found: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        target = a.get("hx-post") or a.get("hx-get") or (a.get("action") if tag == "form"
                                                          else None)
        if tag == "form" or (target and tag != "a"):
            self.targets.append(target or "")
            if target:
                self.found.setdefault(target.split("?")[0], set())
        if tag in {"input", "select", "textarea", "button"} and a.get("name"):
            for t in self.targets:
                if t:
                    self.found.setdefault(t.split("?")[0], set()).add(a["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self.targets:
            self.targets.pop()


def page_fields(client, paths: list[str]) -> dict[object, set[str]]:
    """Field names the rendered pages send, keyed by the view function they send them to."""
    by_view: dict[object, set[str]] = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormFields()
        parser.feed(response.content.decode(errors="replace"))
        for target, names in parser.found.items():
            try:
                view = resolve(target or path).func
            except Resolver404:
                continue
            by_view.setdefault(view, set()).update(names)
    return by_view
