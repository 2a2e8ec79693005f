"""MkDocs hook (mkdocs.yml `hooks:`): the staff editing forms at /admin/ (Decap CMS).

After an online build it writes site/admin/: the page (admin/index.html), its two
scripts, config.yml made from the schemas (macros/admin_config.py), and the pinned
Decap CMS and `yaml` bundles copied from node_modules (package.json pins them), so
the forms load nothing from a CDN. The offline bundle never gets /admin/, and the
folder is not a MkDocs page: it is in no navigation, sitemap or search index.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from macros import admin_config
from macros.loader import project_data
from macros.project import Project

ROOT = Path(__file__).resolve().parent.parent

SOURCE = ROOT / "admin"
DECAP_DIST = ROOT / "node_modules/decap-cms/dist"
YAML_DIST = ROOT / "node_modules/yaml/browser/dist"
URL_DIR = "admin"
GIT_HOST = "https://api.github.com"
log = logging.getLogger("mkdocs.hooks.admin")


def is_offline(config) -> bool:
    for name in ("material/offline", "offline"):
        plugin = config.plugins.get(name)
        if plugin is not None:
            return bool(plugin.config.enabled)
    return os.environ.get("OFFLINE") == "true"


def content_security_policy(oauth_url: str) -> str:
    connect = ["'self'", GIT_HOST, "http://localhost:*", "http://127.0.0.1:*"]
    if oauth_url:
        parts = urlsplit(oauth_url)
        connect.append(f"{parts.scheme}://{parts.netloc}")
    return "; ".join([
        "default-src 'self'",
        # Decap compiles its config schema with new Function (ajv).
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src " + " ".join(connect),
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def write_admin(site_dir: Path, *, oauth_url: str | None = None, config_text: str | None = None,
                vocab: dict | None = None) -> Path:
    """Write the /admin/ folder into site_dir; returns it."""
    bundle = DECAP_DIST / "decap-cms.js"
    if not bundle.is_file() or not (YAML_DIST / "index.js").is_file():
        raise PluginError(
            "The editing forms need the pinned decap-cms and yaml npm packages: run "
            "`make build` (it runs npm ci), or `npm ci --ignore-scripts`.")
    oauth_url = os.environ.get("DECAP_OAUTH_URL", "") if oauth_url is None else oauth_url
    target = site_dir / URL_DIR
    shutil.rmtree(target, ignore_errors=True)
    (target / "vendor/decap-cms").mkdir(parents=True)
    page = (SOURCE / "index.html").read_text(encoding="utf-8")
    (target / "index.html").write_text(
        page.replace("__CSP__", content_security_policy(oauth_url)), encoding="utf-8")
    for name in ("setup.js", "admin.js"):
        shutil.copy2(SOURCE / name, target / name)
    if config_text is None:
        config_text = admin_config.dump(admin_config.build_config(oauth_url=oauth_url, vocab=vocab))
    (target / "config.yml").write_text(config_text, encoding="utf-8")
    # The main bundle, the chunks it loads on demand, and their licences (no source maps).
    for path in DECAP_DIST.iterdir():
        if path.name == "decap-cms.js" or path.name.endswith(
                (".decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt")):
            shutil.copy2(path, target / "vendor/decap-cms" / path.name)
    shutil.copytree(YAML_DIST, target / "vendor/yaml", ignore=shutil.ignore_patterns("*.map"))
    shutil.copy2(YAML_DIST.parent.parent / "LICENSE", target / "vendor/yaml/LICENSE")
    return target


def on_post_build(config, **kwargs) -> None:
    if is_offline(config):
        return
    if not (SOURCE / "index.html").is_file() or not (DECAP_DIST / "decap-cms.js").is_file():
        # A partial copy of the project (tests that build a throwaway copy of docs/ and
        # data/). scripts/build.py stops earlier without node_modules, and
        # tests/test_admin.py checks that the real build has /admin/.
        log.info("No /admin/ forms: %s or %s is missing.", SOURCE, DECAP_DIST)
        return
    if config.extra.get("preview") and (Path(config["site_dir"]) / URL_DIR / "config.yml").is_file():
        # `make serve --dirty` keeps its output between rebuilds, and hooks/preview.py
        # empties it when data/ or anything but a page's text changes: then it is written again.
        return
    # The vocabularies as this build already loaded and validated them (no second parse).
    vocabularies = project_data(Project(config)).vocab
    vocab = {kind: [term.model_dump(exclude_none=True) for term in getattr(vocabularies, kind)]
             for kind in ("audiences", "topics", "types")}
    write_admin(Path(config["site_dir"]), vocab=vocab)
