"""The checkup as plain text (for a terminal: aligned tables) and as Markdown (pipe tables), from
the blocks of :func:`.layout.layout`; charts are left to HTML."""

from __future__ import annotations

from .layout import Block, Item

__all__ = ["to_markdown", "to_text"]


def _aligned(headers: tuple[str, ...], rows: tuple[tuple[Item, ...], ...]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, item in enumerate(row):
            widths[i] = max(widths[i], len(item.text))

    def line(items: list[tuple[str, bool]]) -> str:
        cells = [text.rjust(widths[i]) if numeric else text.ljust(widths[i]) for i, (text, numeric) in enumerate(items)]
        return "  ".join(cells).rstrip()

    out = [line([(h, False) for h in headers]), "  ".join("-" * w for w in widths)]
    out += [line([(item.text, item.numeric) for item in row]) for row in rows]
    return out


def to_text(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        if b.kind == "title":
            lines += [b.text, "=" * len(b.text)]
        elif b.kind == "h2":
            lines += ["", b.text, "-" * len(b.text)]
        elif b.kind == "p":
            lines.append(b.text)
        elif b.kind == "ul":
            lines += [f"- {item}" for item in b.items]
        elif b.kind == "table":
            lines += _aligned(b.headers, b.rows)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def to_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        if b.kind == "title":
            lines += [f"# {_md(b.text)}", ""]
        elif b.kind == "h2":
            lines += ["", f"## {_md(b.text)}", ""]
        elif b.kind == "p":
            lines += [_md(b.text), ""]
        elif b.kind == "ul":
            lines += [f"- {_md(item)}" for item in b.items] + [""]
        elif b.kind == "table":
            lines.append("| " + " | ".join(_md(h) for h in b.headers) + " |")
            lines.append(
                "|"
                + "|".join("---:" if b.rows and b.rows[0][i].numeric else "---" for i in range(len(b.headers)))
                + "|"
            )
            lines += ["| " + " | ".join(_md(item.text) for item in row) + " |" for row in b.rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
