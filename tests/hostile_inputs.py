"""Hostile content files: each case's name and bytes (shared by tests/test_hostile.py
and benchmarks/bench_hostile.py)."""

from __future__ import annotations


def alias_bomb(levels: int = 9) -> str:
    """A YAML "billion laughs": each level lists the one before ten times."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{name}: &{name} [{','.join('*' + prev for _ in range(9))}]")
    return "---\ntitle: Laughs\n" + "\n".join(lines) + "\n---\n\nA page.\n"


def cases(scale: int = 1) -> dict[str, str]:
    """name -> file text; each must end in a one-line error or a translation, quickly.
    ``scale`` multiplies each case's size (twice the size must take about twice the time)."""
    n = scale
    return {
        "yaml-alias-bomb": alias_bomb(8 + n),
        "toml-nested-600": "+++\ntitle = 'Deep'\nx = " + "[" * 600 * n + "]" * 600 * n + "\n+++\n\nA page.\n",
        "json-nested-1000": '{"title": "Deep", "x": ' + "[" * 1000 * n + "]" * 1000 * n + "}\n\nA page.\n",
        "yaml-nested-3000": "---\ntitle: Deep\nx: " + "[" * 3000 * n + "]" * 3000 * n + "\n---\n\nA page.\n",
        "table-2500-columns": "| " + " | ".join(f"c{k}" for k in range(2500 * n)) + " |\n|"
                              + "---|" * 2500 * n + "\n| " + " | ".join(f"word {k}" for k in range(2500 * n)) + " |\n",
        "emphasis-10000": " ".join(f"*w{k}*" for k in range(10000 * n)) + "\n",
        "brackets-20000": "[" * 20000 * n + "text" + "]" * 20000 * n + "\n",
        "quotes-500-deep": "> " * 500 * n + "deep text\n",
        "long-line-1mb": ("word " * 200_000 * n) + "\n",
        "html-nested-5000": "<div>" * 5000 * n + "text" + "</div>" * 5000 * n + "\n",
    }


def i18n_bomb(levels: int = 9) -> str:
    """A Hugo UI-string table (i18n/en.yaml) whose entries are a YAML "billion laughs"."""
    lines = ["- id: hello", "  translation: Hello", '- id: a', '  other: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines += [f"- id: {name}", f"  other: &{name} [{','.join('*' + prev for _ in range(9))}]"]
    return "\n".join(lines) + "\n"


I18N_BOMB = i18n_bomb()
