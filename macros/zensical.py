"""Zensical only: a Markdown extension that does, around Zensical's macros extension,
what mkdocs-macros does through on_pre_page_macros and on_post_page_macros (the front
matter check before the macros run; the template download line and the glossary's
abbreviations after). scripts/zensical_config.py adds it to the generated
configuration; MkDocs never imports it.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from zensical.extensions.context import ContextPreprocessor
from zensical.extensions.macros import MacroEnv

from . import on_post_page_macros, on_pre_page_macros
from .site import Engine, load_site

MACROS_PRIORITY = 35  # zensical.extensions.macros registers its preprocessor here


class _PageStep(Preprocessor):
    def __init__(self, md: Markdown, step) -> None:
        super().__init__(md)
        self.step = step

    def run(self, lines: list[str]) -> list[str]:
        context = ContextPreprocessor.from_markdown(self.md)
        if context is None or context.page is None:
            return lines
        env = MacroEnv(conf=context.config, page=context.page)
        env.eguide_site = load_site(Engine(env))
        env.markdown = "\n".join(lines)
        self.step(env)
        return env.markdown.split("\n")


class PageSteps(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(_PageStep(md, on_pre_page_macros), "eguide_pre_macros",
                                  MACROS_PRIORITY + 1)
        md.preprocessors.register(_PageStep(md, on_post_page_macros), "eguide_post_macros",
                                  MACROS_PRIORITY - 1)


def makeExtension(**kwargs) -> PageSteps:  # noqa: N802 (Markdown's name)
    return PageSteps(**kwargs)
