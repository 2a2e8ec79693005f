"""Start a new page in one step (`make new-page`).

Asks for the chapter, title, description and audiences (or takes them as options), then
1. writes docs/<chapter>/<name>.md with the front matter and the page skeleton from
   docs/contribute/page-conventions.md,
2. adds the page to the chapter in the `nav:` of mkdocs.yml, and
3. adds a link to it on the chapter's overview page (index.md).

mkdocs.yml is edited as text, one added line, so its comments and !ENV tags stay as they
are. Everything is checked before anything is written; on a problem nothing changes.

    python scripts/new_page.py                      # asks
    python scripts/new_page.py --chapter structure --title "Media relations" \\
        --description "How a task force answers reporters without exposing survivors." \\
        --audiences task-force-leadership,law-enforcement
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from macros.frontmatter import load_vocabularies, validate_front_matter
from macros.pages import walk_nav
from macros.project import ROOT, load_project

INDEX_HEADINGS = re.compile(r"^## (Pages in this (chapter|section)|In this chapter)\s*$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Problem(Exception):
    """A mistake in what was asked for; the message says how to fix it."""


@dataclass
class Chapter:
    folder: str  # such as "structure"
    title: str  # as in the nav, such as "Structure and governance"


def chapters(root: Path) -> list[Chapter]:
    """The nav sections that have an overview page <folder>/index.md."""
    found = {}
    for titles, src in walk_nav(load_project(root / "mkdocs.yml").nav):
        if len(titles) == 1 and src.endswith("/index.md") and src.count("/") == 1:
            found.setdefault(src.split("/")[0], Chapter(src.split("/")[0], titles[0]))
    return list(found.values())


def slug_of(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def page_text(title: str, description: str, audiences: list[str], today: date,
              chapter_title: str) -> str:
    """The skeleton from the page conventions. Each TODO line is an instruction; the
    placeholder check in `make lint` fails until all of them are replaced."""
    return f"""---
title: {title}
description: {description}
audiences: [{", ".join(audiences)}]
last_reviewed: {today.isoformat()}
---

# {title}

TODO: One short paragraph saying what this page helps the reader do, using the words they would search for (abbreviations included).

## In brief

- TODO: Three to five bullets with the main points.

## First section

TODO: Your own words. Cite every legal rule, number or program fact in a footnote with the source macro (see "Citations" in the page conventions). Contacts and links come from the data files, never typed here.

## Questions for your task force to settle

- [ ] TODO: A question the reader's task force should answer.

## Related

- [{chapter_title}](index.md)
- TODO: Links to one to four neighbouring pages.
"""


def add_to_nav(config_text: str, chapter: str, page: str) -> str:
    """Add `- <page>` as the last entry of the chapter whose overview is
    <chapter>/index.md, with the same indentation as that entry."""
    lines = config_text.splitlines(keepends=True)
    entry = re.compile(rf"^(\s*)- {re.escape(chapter)}/index\.md\s*$")
    start = next((i for i, line in enumerate(lines) if entry.match(line)), None)
    if start is None:
        raise Problem(f"mkdocs.yml: the nav has no entry '{chapter}/index.md'")
    indent = len(entry.match(lines[start]).group(1))
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip(" ")) < indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # keep blank lines after the chapter where they were
    new_line = f"{' ' * indent}- {page}\n"
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    return "".join([*lines[:end], new_line, *lines[end:]])


def add_to_index(index_text: str, link_line: str, index_path: str) -> str:
    """Add the link as the last item of the list under "Pages in this chapter"."""
    lines = index_text.splitlines(keepends=True)
    heading = next((i for i, line in enumerate(lines) if INDEX_HEADINGS.match(line)), None)
    if heading is None:
        raise Problem(f"{index_path}: no '## Pages in this chapter' section to add the link to")
    last_item = None
    for i in range(heading + 1, len(lines)):
        if lines[i].startswith("## "):
            break
        if lines[i].startswith("- "):
            last_item = i
        elif last_item is not None and lines[i].strip() and not lines[i].startswith("  "):
            break
    if last_item is None:
        raise Problem(f"{index_path}: the '## Pages in this chapter' section has no list")
    return "".join([*lines[:last_item + 1], link_line + "\n", *lines[last_item + 1:]])


def summary_of(description: str) -> str:
    """The description as the one-line summary after the link."""
    text = description.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text if text.endswith(".") else text + "."


def create_page(root: Path, chapter: str, title: str, description: str,
                audiences: list[str], name: str | None = None,
                today: date | None = None) -> Path:
    """Check everything, then write the page, the nav entry and the index link."""
    today = today or date.today()
    title, description = title.strip(), " ".join(description.split())
    known = {c.folder: c for c in chapters(root)}
    if chapter not in known:
        raise Problem(f"chapter {chapter!r} is not one of: {', '.join(known)}")
    name = name or slug_of(title)
    if not SLUG.match(name):
        raise Problem(f"file name {name!r}: use lower-case words joined by hyphens")
    page_path = root / "docs" / chapter / f"{name}.md"
    rel = f"{chapter}/{name}.md"
    if page_path.exists():
        raise Problem(f"docs/{rel} already exists; choose another title or --name")
    if ":" in title or title.startswith(("-", "[", "{", "'", '"')):
        raise Problem("title: leave out colons, brackets and quotation marks at the start")
    if ":" in description:
        raise Problem("description: leave out colons (write two sentences instead)")
    meta = {"title": title, "description": description, "audiences": audiences,
            "last_reviewed": today}
    errors = validate_front_matter(f"docs/{rel}", meta,
                                   vocab=load_vocabularies(root / "data"), today=today)
    if errors:
        raise Problem("\n".join(errors))

    config_path = root / "mkdocs.yml"
    config_text = config_path.read_text(encoding="utf-8")
    if re.search(rf"^\s*- {re.escape(rel)}\s*$", config_text, re.MULTILINE):
        raise Problem(f"mkdocs.yml already lists {rel}")
    new_config = add_to_nav(config_text, chapter, rel)
    index_path = root / "docs" / chapter / "index.md"
    new_index = add_to_index(index_path.read_text(encoding="utf-8"),
                             f"- [{title}]({name}.md): {summary_of(description)}",
                             f"docs/{chapter}/index.md")

    text = page_text(title, description, audiences, today, known[chapter].title)
    page_path.write_text(text, encoding="utf-8")
    config_path.write_text(new_config, encoding="utf-8")
    index_path.write_text(new_index, encoding="utf-8")
    return page_path


def ask(prompt: str, choices: list[str] | None = None) -> str:
    while True:
        answer = input(prompt).strip()
        if answer and (choices is None or answer in choices):
            return answer
        if choices:
            print(f"  Please type one of: {', '.join(choices)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start a new page of the guide.")
    parser.add_argument("--chapter", help="chapter folder under docs/, such as structure")
    parser.add_argument("--title", help="page title, such as 'Media relations'")
    parser.add_argument("--description", help="one sentence, 20-200 characters")
    parser.add_argument("--audiences", help="comma-separated audience ids")
    parser.add_argument("--name", help="file name without .md (default: from the title)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()

    if not all([args.chapter, args.title, args.description, args.audiences]):
        if not sys.stdin.isatty():
            parser.error("give --chapter, --title, --description and --audiences")
        print("Chapters:")
        for chapter in chapters(root):
            print(f"  {chapter.folder:22} {chapter.title}")
        args.chapter = args.chapter or ask("Chapter folder: ", [c.folder for c in chapters(root)])
        args.title = args.title or ask("Title: ")
        args.description = args.description or ask("One-sentence description (20-200 characters): ")
        if not args.audiences:
            vocab = load_vocabularies(root / "data")
            print("Audiences:", ", ".join(vocab.ids("audiences")))
            args.audiences = ask("Audiences, separated by commas: ")
    audiences = [a.strip() for a in args.audiences.split(",") if a.strip()]
    try:
        page = create_page(root, args.chapter, args.title, args.description, audiences,
                           name=args.name)
    except Problem as problem:
        print(f"Nothing was changed. {problem}", file=sys.stderr)
        return 1
    rel = page.relative_to(root).as_posix()
    print(f"Created {rel}, added it to mkdocs.yml and to docs/{args.chapter}/index.md.")
    print(f"Next: write the page (replace every TODO), then `make serve` to see it and "
          f"`make lint` to check it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
