"""MkDocs hook: fixes to the theme's own markup that no template block can reach.

The theme's toggle checkboxes (in base.html, outside every block) carry an
`autocomplete` attribute that the Nu Html Checker rejects.
"""

from sitegen.themefix import drop_checkbox_autocomplete


def on_post_page(output, page, config):
    return drop_checkbox_autocomplete(output)


def on_post_template(output_content, template_name, config):
    # 404.html is a static template, not a page.
    return drop_checkbox_autocomplete(output_content) if template_name.endswith(".html") else output_content
