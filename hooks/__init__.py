"""MkDocs hooks (mkdocs.yml and mkdocs.preview.yml `hooks:`): changes to the build that
are not macros. pages.py: page-level fixes the theme cannot make; preview.py: the
preview's error boxes and code reloading."""
