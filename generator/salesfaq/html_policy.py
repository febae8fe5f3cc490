"""The raw-HTML policy for Markdown fields: nothing in an answer may run script or restyle the site.

Answers are Markdown, so simple formatting HTML is allowed; `script`, `iframe`, `style` and other active
elements, event-handler attributes (`onclick=`) and script URLs (`javascript:`, `vbscript:`, `data:`) are
not, however they are spelled: in raw HTML, in a Markdown link or reference definition, in an attr_list
`{: ...}`, with entities (`&#106;avascript:`) or whitespace inside the scheme. Pure text in, (offset,
message) out; the checks stage turns them into located problems.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import markdown

FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "iframe",
        "style",
        "object",
        "embed",
        "form",
        "input",
        "button",
        "textarea",
        "link",
        "meta",
        "base",
        "frame",
        "frameset",
        "svg",
        "math",
        "template",
        "noscript",
        "applet",
    }
)
_FORBIDDEN_TAG = re.compile(r"<\s*(" + "|".join(sorted(FORBIDDEN_TAGS)) + r")\b", re.IGNORECASE)
_EVENT_ATTRIBUTE = re.compile(r"(?:<[^>]*|\{[^}]*)[\s/\"'{:](on[a-z]+)\s*=", re.IGNORECASE)
_URLS = (
    ("](", re.compile(r"\]\(\s*<?([^)>]*)")),  # [text](url)
    ("]:", re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*<?(\S+)", re.MULTILINE)),  # [label]: url
    (
        "=",
        re.compile(
            r"(?:href|src|action|formaction|data|poster|background|srcset|xlink:href)\s*=\s*"
            r"(?:\"([^\"]*)\"|'([^']*)'|([^\s>}]+))",
            re.IGNORECASE,
        ),
    ),  # attribute values, in HTML or {: }
)
"""Where a URL can hide, each with a literal that must be in the text for the pattern to be worth running."""
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript|data):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_NEEDS_RENDERING = re.compile(r"<[a-zA-Z/!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);?|\{")
_EXTENSIONS = ["attr_list", "md_in_html", "admonition", "tables"]


def is_script_url(url: str) -> bool:
    """Whether a browser would run `url` as script (entities decoded, whitespace and controls ignored)."""
    return bool(_SCRIPT_SCHEME.match(_INVISIBLE.sub("", html.unescape(url))))


def problems(text: str) -> Iterator[tuple[int, str]]:
    """(offset in `text`, message) for everything in `text` that breaks the raw-HTML policy."""
    found = False
    if "<" in text:
        for match in _FORBIDDEN_TAG.finditer(text):
            found = True
            yield (
                match.start(),
                f"<{match.group(1).lower()}> is not allowed in answers; remove it (simple formatting HTML is fine)",
            )
    if "<" in text or "{" in text:
        for match in _EVENT_ATTRIBUTE.finditer(text):
            found = True
            yield match.start(1), f"the HTML attribute '{match.group(1)}' runs script and is not allowed; remove it"
    for needle, pattern in _URLS:
        if needle not in text:
            continue
        for match in pattern.finditer(text):
            url = next(value for value in match.groups() if value is not None)
            if is_script_url(url):
                found = True
                yield (
                    match.start(),
                    f"link '{url.strip()[:40]}' runs script and is not allowed; link to an https:// page instead",
                )
    if not found and _NEEDS_RENDERING.search(text):
        yield from _rendered_problems(text)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}> is not allowed in answers; remove it (simple formatting HTML is fine)")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"the HTML attribute '{name}' runs script and is not allowed; remove it")
            elif value and is_script_url(value):
                self.found.append(
                    f"the {name} '{value.strip()[:40]}' runs script and is not allowed; link to an "
                    "https:// page instead"
                )


def _rendered_problems(text: str) -> Iterator[tuple[int, str]]:
    """What the text turns into once Markdown has run: catches what no pattern on the source foresaw."""
    scanner = _Scanner()
    scanner.feed(markdown.markdown(text, extensions=_EXTENSIONS))
    scanner.close()
    for message in dict.fromkeys(scanner.found):
        yield 0, message
