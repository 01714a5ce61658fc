"""Apply permis_tui.typographie to the string literals of the sources (and of the tests, whose
expected texts must read the same), in place. Re-run it after a merge brings new strings:

    python scripts/typographie_sources.py src tests

Only string tokens change (tokenize); bytes literals and docstrings are left alone; the script prints the
files it rewrote. `tests/test_typographie.py` fails while a literal in src/ is left unapplied.
"""

from __future__ import annotations

import io
import sys
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from permis_tui.typographie import typographie


def _prefix(token: str) -> str:
    return token[: len(token) - len(token.lstrip("rRbBuUfF"))].lower()


_SKIP = {tokenize.NL, tokenize.COMMENT}


def _is_docstring(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """A string that is a whole statement: a docstring, for developers, left as written."""
    before = next((t for t in reversed(tokens[:i]) if t.type not in _SKIP), None)
    after = next((t for t in tokens[i + 1 :] if t.type not in _SKIP), None)
    starts = before is None or before.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
    return starts and (after is None or after.type in (tokenize.NEWLINE, tokenize.ENDMARKER))


def rewrite(source: str) -> str:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    # Replace from the end so that earlier positions stay valid.
    for i in range(len(tokens) - 1, -1, -1):
        tok = tokens[i]
        if tok.type != tokenize.STRING or "b" in _prefix(tok.string) or _is_docstring(tokens, i):
            continue
        new = typographie(tok.string)
        if new == tok.string:
            continue
        (srow, scol), (erow, ecol) = tok.start, tok.end
        head = lines[srow - 1][:scol]
        tail = lines[erow - 1][ecol:]
        lines[srow - 1 : erow] = [head + new + tail]
    return "".join(lines)


def main(paths: list[str]) -> int:
    for root in paths:
        for path in sorted(Path(root).rglob("*.py")):
            if "typographie" in path.name:  # the rules and their tests hold the "before" texts
                continue
            text = path.read_text("utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, "utf-8")
                print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src", "tests"]))
