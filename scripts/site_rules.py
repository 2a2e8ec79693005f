"""Checks that look at the guide as a whole, without building it: links and anchors
between pages, the navigation in mkdocs.yml, and the Related-links convention.

MkDocs finds the first two only while it builds (strict mode stops on them); these
functions find the same mistakes in a second or two, so `make check` can list them with
everything else. Headings become anchors with the same slugify as the site (the toc
extension's default, as mkdocs.yml configures it).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from markdown.extensions.toc import slugify

from macros.pages import split_page
from scripts.lint_rules import HEADING, Problem, prose_lines
from macros.messages import close_matches

NAV_HELP = "`make new-page` adds a new page to the navigation and its chapter index for you."
LINK_OR_IMAGE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
ATTR_ID = re.compile(r"\{[^}]*#([\w:.-]+)[^}]*\}")
HTML_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
CONTACT_HEADING = re.compile(r"""contact_heading\(\s*["']([^"']+)["']""")
# Pages whose anchors come from macros this check cannot see (the build checks those).
GENERATED = re.compile(r"{{\s*(glossary|references|translated_terms)\s*\(")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _plain_heading(text: str) -> str:
    """The heading's visible text, as the toc extension sees it after rendering."""
    text = ATTR_ID.sub("", text)
    text = re.sub(r"\{\s*[.#:][^}]*\}\s*$", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(`+)(.+?)\1", r"\2", text)
    text = re.sub(r"(\*\*|__|\*|_)(.+?)\1", r"\2", text)
    text = text.replace("&amp;", "&")
    return text.strip()


class PageIndex:
    """The anchors of every page under docs/, read once."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        self.pages = {p.relative_to(docs_dir).as_posix(): p for p in sorted(docs_dir.rglob("*.md"))}
        self.files = {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*") if p.is_file()}
        self._anchors: dict[str, set[str] | None] = {}

    def anchors(self, rel: str) -> set[str] | None:
        """Every id on the page, or None when macros make some of them."""
        if rel not in self._anchors:
            text = self.pages[rel].read_text(encoding="utf-8")
            if GENERATED.search(text):
                self._anchors[rel] = None
                return None
            found: set[str] = set()
            used: dict[str, int] = {}
            page = split_page(text)
            for line in prose_lines(page.body):
                match = HEADING.match(line.text) if line.text else None
                if match:
                    heading = match.group(2) or ""
                    explicit = ATTR_ID.search(heading)
                    slug = explicit.group(1) if explicit else slugify(_plain_heading(heading), "-")
                    if slug in used:  # the toc extension numbers repeated headings
                        used[slug] += 1
                        slug = f"{slug}_{used[slug]}"
                    else:
                        used[slug] = 0
                    found.add(slug)
            found.update(ATTR_ID.findall(text))
            found.update(HTML_ID.findall(text))
            found.update(CONTACT_HEADING.findall(text))
            self._anchors[rel] = found
        return self._anchors[rel]


def check_links(label: str, rel: str, text: str, index: PageIndex) -> list[Problem]:
    """Links and images to pages and files that do not exist, and anchors that no
    heading on the target page has."""
    problems = []
    page = split_page(text)
    for line in prose_lines(page.body):
        for match in LINK_OR_IMAGE.finditer(line.text):
            image, target = match.group(1), match.group(3)
            if not target or SCHEME.match(target) or "{{" in target or target.startswith("/"):
                continue  # outside addresses and absolute paths: other rules report them
            path, _, anchor = target.partition("#")
            path = unquote(path)
            if path:
                dest = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
            else:
                dest = rel
            what = "image" if image else "link"
            if path and dest not in index.files:
                if dest.startswith("../") or dest == "..":
                    message = f"the {what} '{target}' points outside the docs folder."
                    fix = "Link to a page inside docs/, with a path relative to this page."
                elif path.endswith("/") or "." not in posixpath.basename(dest):
                    guess = posixpath.join(dest, "index.md")
                    message = f"the {what} '{target}' points to a folder, not a page."
                    fix = (f"Link to the page file itself, such as "
                           f"'{posixpath.relpath(guess, posixpath.dirname(rel) or '.')}'."
                           if guess in index.pages else "Link to a page file (ending in .md).")
                else:
                    candidates = ([f for f in index.files if not f.endswith(".md")] if image
                                  else list(index.pages))
                    close = close_matches(dest, candidates, n=1)
                    message = f"the {what} '{target}' points to docs/{dest}, which does not exist."
                    if close:
                        suggestion = posixpath.relpath(close[0], posixpath.dirname(rel) or ".")
                        message += f" Did you mean '{suggestion}'?"
                        fix = f"Change the {what} to '{suggestion}{'#' + anchor if anchor else ''}'."
                    else:
                        fix = ("Check the path: it is relative to this page (../ goes up one "
                               "folder). Every page is listed in the nav in mkdocs.yml.")
                problems.append(Problem(label, line.number, f"broken-{what}", message, fix))
                continue
            if anchor and dest in index.pages:
                anchors = index.anchors(dest)
                if anchors is None or anchor in anchors or anchor.startswith(("fn:", "fnref:")):
                    continue
                close = close_matches(anchor, anchors, n=1)
                message = (f"the link '{target}' points to a section '#{anchor}' that "
                           f"docs/{dest} does not have.")
                if close:
                    message += f" Did you mean '#{close[0]}'?"
                problems.append(Problem(
                    label, line.number, "broken-anchor", message,
                    "Use the section's anchor: its heading in lower case, with hyphens for "
                    "spaces and no punctuation (## Who to call → #who-to-call)."))
    return problems


# --- the navigation ----------------------------------------------------------------------

def _nav_paths(nav) -> list[str]:
    found = []
    if isinstance(nav, str):
        if not SCHEME.match(nav):
            found.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            found += _nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += _nav_paths(value)
    return found


def check_nav(config: dict, config_label: str, config_text: str, index: PageIndex,
              exempt) -> list[Problem]:
    """A page missing from the nav, and a nav entry whose page does not exist."""
    nav = config.get("nav")
    if not nav:
        return []
    listed = _nav_paths(nav)
    problems = []
    lines = config_text.splitlines()

    def line_of(path: str) -> int:
        for number, text in enumerate(lines, 1):
            if re.search(rf"(^|[\s:-]){re.escape(path)}\s*$", text):
                return number
        return 1

    for path in listed:
        if path not in index.pages:
            close = close_matches(path, index.pages, n=1)
            message = f"the navigation lists '{path}', but docs/{path} does not exist."
            fix = (f"Change the entry to '{close[0]}' (the page that exists) or remove it."
                   if close else "Correct the path (it is relative to docs/) or remove the entry.")
            if close:
                message += f" Did you mean '{close[0]}'?"
            problems.append(Problem(config_label, line_of(path), "nav", message, fix))
    listed_set = set(listed)
    for rel in index.pages:
        if rel in listed_set or exempt(rel):
            continue
        chapter = rel.split("/")[0] if "/" in rel else ""
        problems.append(Problem(
            f"docs/{rel}", 1, "nav",
            "this page is not in the navigation, so readers cannot find it from the menu.",
            f"Add '- {rel}' to the nav in {config_label}"
            + (f", in the list of the '{chapter}' chapter" if chapter else "")
            + f", and link it from the chapter's index page. {NAV_HELP}"))
    return problems


# --- Related links -----------------------------------------------------------------------

RELATED_HEADINGS = ("related", "relacionado", "páginas relacionadas")
LIST_LINK = re.compile(r"^\s*[-*+]\s+\[[^\]]+\]\(([^)\s]+)")


# Pages whose body is one macro call that renders the Related list (docs/states/*.md).
RELATED_FROM_MACRO = ("state_profile(",)


def check_related(label: str, rel: str, text: str) -> list[Problem]:
    """Reader pages end with '## Related' and two to five links to neighbouring pages
    (docs/contribute/page-conventions.md)."""
    if any(call in text for call in RELATED_FROM_MACRO):
        return []  # the macro writes the page's Related list itself (checked by its tests)
    page = split_page(text)
    lines = prose_lines(page.body)
    start = None
    links: list[int] = []
    for line in lines:
        match = HEADING.match(line.text) if line.text else None
        if match:
            if start is not None:
                break
            if len(match.group(1)) == 2 and (match.group(2) or "").strip().lower() in RELATED_HEADINGS:
                start = line.number
            continue
        if start is not None and LIST_LINK.match(line.text):
            links.append(line.number)
    how = ("The page conventions (docs/contribute/page-conventions.md) end every reader page "
           "with a '## Related' list of two to five links to neighbouring pages.")
    if start is None:
        last = page.body[-1][0] if page.body else 1
        return [Problem(label, last, "related-links", "the page has no '## Related' section.",
                        "Add '## Related' at the end with two to five links to pages a reader "
                        "would go to next, one per line, such as '- [Who belongs on a task "
                        "force](../recruiting/who-belongs.md)'. " + how)]
    if len(links) < 2:
        return [Problem(label, start, "related-links",
                        f"the Related list has {len(links)} link{'s' if len(links) != 1 else ''}; "
                        "it needs two to five.",
                        "Add links to neighbouring pages (the chapter's other pages, or pages "
                        "this one mentions) until there are at least two. " + how)]
    if len(links) > 5:
        return [Problem(label, links[5], "related-links",
                        f"the Related list has {len(links)} links; it should have at most five.",
                        "Keep the five pages a reader is most likely to need next and remove the "
                        "rest (link others in the text instead). " + how)]
    return []


# --- macro names ---------------------------------------------------------------------------

MACRO_DEF = re.compile(r"@env\.macro\s*\n\s*def (\w+)")
# What the macros plugin itself provides to every page (mkdocs-macros 1.5).
PLUGIN_NAMES = {"context", "macros_info", "now", "fix_url", "config", "environment", "plugin",
                "git", "page", "navigation", "files", "extra", "macros", "filters",
                "filters_builtin"}


def known_macro_names(root: Path, config: dict) -> tuple[set[str], set[str]]:
    """(every name a page may use, the guide's own macros) — the macros registered in
    macros/*.py, the plugin's own names, and the keys of extra: in mkdocs.yml."""
    macros = set()
    for path in sorted((root / "macros").glob("*.py")):
        macros.update(MACRO_DEF.findall(path.read_text(encoding="utf-8")))
    extra = set((config.get("extra") or {}).keys())
    return macros | PLUGIN_NAMES | extra, macros


def check_macro_names(label: str, text: str, names: set[str], macros: set[str]) -> list[Problem]:
    """A misspelled macro name or a broken {{ }} stops the build; find it by reading the
    page as the macros plugin does (Jinja2), with the line of the file."""
    import jinja2
    from jinja2 import meta

    page = split_page(text)
    if not page.body:
        return []
    offset = page.body[0][0] - 1
    source = "\n".join(line for _, line in page.body)
    if "{{" not in source and "{%" not in source:
        return []
    try:
        tree = jinja2.Environment().parse(source)
    except jinja2.TemplateSyntaxError as error:
        return [Problem(label, offset + (error.lineno or 1), "macro",
                        f"the macro on this line cannot be read ({error.message}).",
                        "Check that every {{ has its }}, every quotation mark and bracket is "
                        "closed, and every {% raw %} has its {% endraw %}; "
                        "docs/contribute/macro-reference.md shows each macro.")]
    meta_keys = set(page.meta)
    problems = []
    for name in sorted(meta.find_undeclared_variables(tree) - names - meta_keys):
        found = re.search(rf"{{{{[^}}]*\b{re.escape(name)}\b", source)
        line = offset + (source.count("\n", 0, found.start()) + 1 if found else 1)
        close = close_matches(name, macros, n=1)
        message = f"'{name}' is not a macro or variable the guide knows."
        if close:
            message += f" Did you mean '{close[0]}'?"
        problems.append(Problem(
            label, line, "macro", message,
            (f"Change it to '{close[0]}'." if close else "Check the spelling.")
            + " docs/contribute/macro-reference.md lists every macro."))
    return problems
