"""A few helpers to write SVG by hand, so charts need no plotting library and stay byte-stable.

Only presentation attributes are used (no style attributes or <style>), so the pictures render
the same inline under a strict Content-Security-Policy and as an <img> in a README.
"""

from __future__ import annotations

from html import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
INK = "#1f2328"
MUTED = "#59636e"
GRID = "#d8dee4"


def number(value: float) -> str:
    """A coordinate with at most one decimal, so output does not depend on float noise."""
    text = f"{value:.1f}"
    return text.removesuffix(".0") if text != "-0.0" else "0"


def tag(name: str, attrs: dict[str, object], content: str | None = None) -> str:
    """One element; float attributes are rounded, text content must already be escaped."""
    parts = [name]
    for key, value in attrs.items():
        shown = number(value) if isinstance(value, float) else str(value)
        parts.append(f'{key}="{escape(shown)}"')
    opening = " ".join(parts)
    if content is None:
        return f"<{opening}/>"
    return f"<{opening}>{content}</{name}>"


def text(x: float, y: float, words: str, **attrs: object) -> str:
    """A text element in the chart font; extra attributes use SVG names with '_' for '-'."""
    base: dict[str, object] = {"x": float(x), "y": float(y), "fill": INK, "font-size": 12}
    base.update({key.replace("_", "-"): value for key, value in attrs.items()})
    return tag("text", base, escape(words))


def text_width(words: str, size: float) -> float:
    """A rough width of text in the chart font, enough to keep labels from overlapping."""
    return len(words) * size * 0.56


def document(
    ident: str, size: tuple[int, int], title: str, description: str, body: list[str]
) -> str:
    """A standalone SVG document that names itself for screen readers.

    `ident` prefixes the ids of its title and description, so several charts can share a page.
    """
    width, height = size
    attrs: dict[str, object] = {
        "xmlns": "http://www.w3.org/2000/svg",
        "width": width,
        "height": height,
        "viewBox": f"0 0 {width} {height}",
        "role": "img",
        "aria-labelledby": f"{ident}-title {ident}-desc",
        "font-family": FONT,
    }
    content = "\n".join(
        [
            tag("title", {"id": f"{ident}-title"}, escape(title)),
            tag("desc", {"id": f"{ident}-desc"}, escape(description)),
            tag("rect", {"width": width, "height": height, "fill": "#ffffff"}),
            *body,
        ]
    )
    return tag("svg", attrs, f"\n{content}\n") + "\n"
