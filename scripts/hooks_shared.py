"""What the hooks and the pipeline (scripts/pipeline/build.py) share: the site model for one MkDocs config. Not a hook itself.

The pipeline loads the model before MkDocs starts and hands it over in the config, so
one object serves the hooks and the finishing pass; a plain `mkdocs build` loads it here.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from sitegen.errors import SiteDataError
from sitegen.site import Site, check_settings, load_site

MODEL = "site_model"
TEMPLATES = "template_cache"  # where the pipeline keeps compiled templates (none in a plain `mkdocs build`)


def fail(error: SiteDataError):
    """Stop the build with the data error's message (file, line or key, and the problem)."""
    raise PluginError(str(error)) from error


def offline(config: MkDocsConfig) -> bool:
    """Whether this build is the offline copy (`make dist`), opened from disk."""
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def load_model(config: MkDocsConfig) -> Site:
    """Read and check the whole site for this config; raises SiteDataError."""
    settings = check_settings(
        config.site_name,
        config.site_url,
        config.theme["language"],
        config.extra.get("contact_email"),
        offline=offline(config),
        clinic_details=config.extra.get("clinic"),
        texts={"site_description": config.site_description, "copyright": config.copyright},
        publisher_details=config.extra.get("publisher"),
        short_name=config.extra.get("short_name"),
        docs=Path(config.docs_dir),
    )
    return load_site(Path(config.config_file_path).parent, settings, config.nav)


def site_model(config: MkDocsConfig) -> Site:
    """The model handed over by scripts/build, or (plain `mkdocs build`) one loaded now and kept in the config."""
    if config.get(MODEL) is None:
        try:
            config[MODEL] = load_model(config)
        except SiteDataError as error:
            fail(error)
    return config[MODEL]
