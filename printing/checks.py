from django.core.checks import Warning, register

from printing.fonts import INSTALL_HINT, font_path


@register()
def chinese_font_installed(app_configs, **kwargs):
    """PDFs cannot be made without the font: say so at start-up, not at the first print."""
    if font_path() is None:
        return [Warning("No Chinese TrueType font for the PDFs.", hint=INSTALL_HINT, id="printing.W001")]
    return []
